#pragma once
// Logging to stderr. Default level shows warnings and errors only, so cron output stays clean;
// -v shows begin/end lines of every job, -vv debug detail; --quiet only errors.
// Every message passes through scrub_secrets() before it is written.
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace spotctl::log {

enum class Level { debug, info, warn, error, off };

void set_level(Level level);
Level level();
void write(Level level, std::string_view message);

// A one-line summary for people ("wrote 10 rows to 'x.csv'"), as "spotctl: ..." on stderr so
// stdout stays data; not a log level: callers leave it out under --quiet.
void status_line(std::string_view message);
template <typename... Args>
void status(fmt::format_string<Args...> f, Args&&... args) {
    status_line(fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
    if (level() <= Level::debug) write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
    if (level() <= Level::info) write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
    if (level() <= Level::warn) write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace spotctl::log
