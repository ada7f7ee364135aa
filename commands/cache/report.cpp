#include "commands/cache/report.hpp"

#include <csignal>
#include <fmt/format.h>

namespace spotctl::cache {
namespace {
std::string signal_name(int sig) {
    if (sig == SIGINT) return "SIGINT";
    if (sig == SIGTERM) return "SIGTERM";
    return fmt::format("signal {}", sig);
}
}  // namespace

std::string format_bytes(std::uint64_t bytes) {
    if (bytes < 1024) return fmt::format("{} B", bytes);
    const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = -1;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string format_speed(std::uint64_t keys, const ScanOutcome& outcome) {
    double seconds = static_cast<double>(outcome.elapsed.count()) / 1000.0;
    std::string speed = seconds > 0 ? fmt::format(" ({:.0f} keys/s)", static_cast<double>(keys) / seconds) : "";
    return fmt::format(" in {}{}", format_duration(outcome.elapsed), speed);
}

std::string stop_note(const ScanOutcome& outcome, const ScanLimits& limits) {
    switch (outcome.stop) {
        case Stop::complete: return {};
        case Stop::max_runtime:
            return fmt::format("stopped at the --max-runtime limit of {}; resume with --cursor {}",
                               format_duration(limits.max_runtime.value_or(Millis(0))), outcome.resume_cursor);
        case Stop::signal:
            return fmt::format("stopped by {}; resume with --cursor {}", signal_name(outcome.signal), outcome.resume_cursor);
    }
    return {};
}

void add_outcome(nlohmann::json& report, const ScanOutcome& outcome) {
    report["complete"] = outcome.stop == Stop::complete;
    report["stopped_by"] = outcome.stop == Stop::complete   ? nlohmann::json(nullptr)
                           : outcome.stop == Stop::signal ? nlohmann::json(signal_name(outcome.signal))
                                                          : nlohmann::json("max_runtime");
    report["resume_cursor"] = outcome.stop == Stop::complete ? nlohmann::json(nullptr) : nlohmann::json(outcome.resume_cursor);
    report["scanned"] = outcome.scanned;
    report["duration_ms"] = outcome.elapsed.count();
}

int exit_code(const ScanOutcome& outcome) { return outcome.stop == Stop::signal ? 128 + outcome.signal : 0; }

ScanOptions scan_options(const ScanLimits& limits, std::string label) {
    ScanOptions o;
    o.count = limits.count;
    o.rate = limits.rate;
    o.max_runtime = limits.max_runtime;
    o.cursor = limits.cursor;
    o.label = std::move(label);
    return o;
}

}  // namespace spotctl::cache
