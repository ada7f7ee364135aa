#include "core/iso_time.hpp"

#include <ctime>

namespace spotctl {

std::string format_utc(long long epoch_seconds, const char* format) {
    auto t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::size_t n = std::strftime(buf, sizeof buf, format, &tm);  // 0 if it did not fit: empty
    return std::string(buf, n);
}

std::string iso_utc(long long epoch_seconds) { return format_utc(epoch_seconds, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace spotctl
