#pragma once
// Logging to stderr. Default level shows warnings and errors only, so cron output stays clean;
// -v shows begin/end lines of every job, -vv debug detail; --quiet only errors.
// Every message passes through scrub_secrets() before it is written.
// --log-format json writes each line as one JSON object in the OpenTelemetry log data model
// (core/log_record.hpp), so a log shipper reads fields instead of parsing text.
#include <fmt/format.h>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace spotctl::log {

enum class Level { debug, info, warn, error, off };
enum class Format { text, json };

// A record's structured detail (OpenTelemetry "Attributes"): rows, table, duration_s, exit_code.
using Value = std::variant<std::string, long long, double>;
using Attributes = std::vector<std::pair<std::string, Value>>;

void set_level(Level level);
Level level();
void set_format(Format format);
Format format();
// "text" or "json" into `out`; false for anything else.
bool parse_format(std::string_view name, Format& out);
// The command being run ("migrate up"): every JSON record carries it as the attribute "command".
void set_command(std::string command);

void write(Level level, std::string_view message, const Attributes& attributes = {});

// The one-line error that ends a command, with its exit code and an optional hint: in text
// "spotctl: error: ..." (and "spotctl: hint: ..."), in JSON one ERROR record. Always written.
void command_error(std::string_view message, std::string_view hint, int exit_code);

// A one-line summary for people ("wrote 10 rows to 'x.csv'"), as "spotctl: ..." on stderr so
// stdout stays data; not a log level: callers leave it out under --quiet. In JSON an INFO record.
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
