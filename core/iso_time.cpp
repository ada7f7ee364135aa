#include "core/iso_time.hpp"

#include <ctime>

namespace spotctl {

std::string iso_utc(long long epoch_seconds) {
    auto t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace spotctl
