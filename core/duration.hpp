#pragma once
// Durations as operators write them: "500ms", "30s", "15m", "1h30m", "7d", "2w", "2 hours", "1h 30m";
// a bare number is seconds. The one duration syntax of every option (spotctl(1), TIMES AND DURATIONS).
#include <chrono>
#include <string>
#include <string_view>

namespace spotctl {

using Millis = std::chrono::milliseconds;

// Throws Error(Exit::usage) naming `what` (the flag or setting) when the text is not a duration.
Millis parse_duration(std::string_view text, std::string_view what);

// "1.234s", "87ms", "2m03s": short and readable, for summaries and logs.
std::string format_duration(Millis d);

}  // namespace spotctl
