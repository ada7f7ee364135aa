#include "core/log.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/redact.hpp"
#include "core/single_line.hpp"

namespace spotctl::log {
namespace {

std::atomic<Level> current{Level::warn};

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

}  // namespace

void set_level(Level l) { current = l; }
Level level() { return current; }

void write(Level l, std::string_view message) {
    if (l < current) return;
    logger().log(to_spdlog(l), "{}", single_line(scrub_secrets(message)));
}

void status_line(std::string_view message) {
    std::string line = "spotctl: " + single_line(scrub_secrets(message)) + "\n";
    // Nothing useful is left to do when stderr itself cannot be written.
    (void)std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace spotctl::log
