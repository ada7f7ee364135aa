#pragma once
// Unix times as ISO 8601 text in UTC, as reports, their JSON envelope and PDF metadata print them.
#include <string>

namespace spotctl {

// "2026-12-02T17:30:00Z"
std::string iso_utc(long long epoch_seconds);

// In a strftime format, e.g. "%Y-%m-%d %H:%M UTC"; empty if the result exceeds 63 bytes.
std::string format_utc(long long epoch_seconds, const char* format);

}  // namespace spotctl
