#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/log_record.hpp"
#include "core/redact.hpp"
#include "core/single_line.hpp"

namespace spotctl::log {
namespace {

std::atomic<Level> current{Level::warn};
std::atomic<Format> current_format{Format::text};
std::string command_name;  // set once, before any command runs

spdlog::logger& logger() {
    // Created on first use: a run that logs nothing never pays for it.
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>("spotctl", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_pattern("spotctl: %l: %v");
        l->set_level(spdlog::level::trace);
        return l;
    }();
    return *instance;
}

spdlog::level::level_enum to_spdlog(Level l) {
    switch (l) {
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
        case Level::off: break;
    }
    return spdlog::level::off;
}

// What text output does to a message, applied to JSON bodies and attribute strings alike.
std::string clean(std::string_view text) { return single_line(scrub_secrets(text)); }

void write_stderr(const std::string& line) {
    // One write per line, so lines of concurrent writers do not interleave; nothing useful is
    // left to do when stderr itself cannot be written.
    (void)std::fwrite(line.data(), 1, line.size(), stderr);
}

void write_json(Level l, std::string_view message, const Attributes& attributes) {
    Attributes all;
    if (!command_name.empty()) all.emplace_back("command", command_name);
    for (const auto& [key, value] : attributes) {
        if (const auto* s = std::get_if<std::string>(&value)) all.emplace_back(key, clean(*s));
        else all.emplace_back(key, value);
    }
    write_stderr(json_record(l, clean(message), all, std::chrono::system_clock::now()) + "\n");
}

}  // namespace

void set_level(Level l) { current = l; }
Level level() { return current; }
void set_format(Format f) { current_format = f; }
Format format() { return current_format; }
void set_command(std::string command) { command_name = std::move(command); }

bool parse_format(std::string_view name, Format& out) {
    if (name == "text") out = Format::text;
    else if (name == "json") out = Format::json;
    else return false;
    return true;
}

void write(Level l, std::string_view message, const Attributes& attributes) {
    if (l < current) return;
    if (current_format == Format::json) return write_json(l, message, attributes);
    logger().log(to_spdlog(l), "{}", clean(message));
}

void command_error(std::string_view message, std::string_view hint, int exit_code) {
    if (current_format == Format::json) {
        Attributes a{{"exit_code", static_cast<long long>(exit_code)}};
        if (!hint.empty()) a.emplace_back("hint", std::string(hint));
        return write_json(Level::error, message, a);
    }
    std::string text = "spotctl: error: " + clean(message) + "\n";
    if (!hint.empty()) text += "spotctl: hint: " + clean(hint) + "\n";
    write_stderr(text);
}

void status_line(std::string_view message) {
    if (current_format == Format::json) return write_json(Level::info, message, {});
    write_stderr("spotctl: " + clean(message) + "\n");
}

}  // namespace spotctl::log
