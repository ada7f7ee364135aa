#include "rulebook/lifetimes.hpp"

#include <fmt/format.h>

namespace spotctl::rulebook {

std::string duration_text(std::chrono::seconds d) {
    long long s = d.count();
    auto unit = [](long long n, const char* one) { return fmt::format("{} {}{}", n, one, n == 1 ? "" : "s"); };
    if (s != 0 && s % 86400 == 0) return unit(s / 86400, "day");
    if (s != 0 && s % 3600 == 0) return unit(s / 3600, "hour");
    if (s != 0 && s % 60 == 0) return unit(s / 60, "minute");
    return unit(s, "second");
}

std::string interval_sql(std::chrono::seconds d) { return fmt::format("interval '{}'", duration_text(d)); }

}  // namespace spotctl::rulebook
