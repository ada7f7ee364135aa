#include "commands/health/thresholds.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/parse_number.hpp"

namespace spotctl::health {
namespace {

struct Default {
    const char* key;
    std::optional<double> warning;  // none: only the configuration or a flag sets one
    std::optional<double> critical;
    bool lower_is_worse;
};
constexpr std::nullopt_t none = std::nullopt;

// Sensible limits for a web platform's servers; every one can be changed.
const Default defaults[] = {
    {"postgres.connect_ms", 500, 2000, false},
    {"postgres.latency_ms", 100, 500, false},
    {"postgres.connections_used_percent", 80, 95, false},
    {"postgres.oldest_transaction_seconds", 300, 3600, false},
    {"postgres.replication_lag_bytes", 16.0 * 1024 * 1024, 256.0 * 1024 * 1024, false},
    {"postgres.replication_lag_seconds", 30, 300, false},
    {"postgres.pending_migrations", 1, none, false},
    {"postgres.changed_migrations", 1, none, false},
    {"postgres.dirty_migrations", 1, 1, false},
    {"redis.latency_ms", 50, 250, false},
    {"redis.memory_used_percent", 80, 95, false},
    {"redis.rejected_connections", none, none, false},
    {"http.latency_ms", 500, 2000, false},
    {"http.certificate_days_left", 21, 7, true},
};

}  // namespace

std::vector<std::string> Thresholds::known() {
    std::vector<std::string> out;
    for (const auto& d : defaults) out.emplace_back(d.key);
    return out;
}

Thresholds::Thresholds(const Config& config, const std::vector<std::string>& warning_flags,
                       const std::vector<std::string>& critical_flags) {
    for (const auto& d : defaults) limits_[d.key] = Limits{d.warning, d.critical, d.lower_is_worse};
    for (auto& [key, limits] : limits_) {
        for (const char* level : {"warning", "critical"}) {
            std::string path = "health.thresholds." + key + "." + level;
            auto text = config.value(path);
            if (!text) continue;
            auto v = parse_number<double>(*text);
            if (!v) throw Error(Exit::config, fmt::format("{}: {} must be a number, not '{}'", config.where(path), path, *text));
            (std::string_view(level) == "warning" ? limits.warning : limits.critical) = *v;
        }
    }
    auto apply = [&](const std::vector<std::string>& flags, bool warning) {
        for (const auto& flag : flags) {
            auto eq = flag.find('=');
            std::string key = flag.substr(0, eq);
            auto it = limits_.find(key);
            auto v = eq == std::string::npos ? std::nullopt : parse_number<double>(std::string_view(flag).substr(eq + 1));
            if (it == limits_.end() || !v)
                throw Error(Exit::usage, fmt::format("invalid --{} '{}'", warning ? "warning" : "critical", flag),
                            "use KIND.METRIC=NUMBER, such as postgres.latency_ms=200; see 'spotctl health --help'");
            (warning ? it->second.warning : it->second.critical) = *v;
        }
    };
    apply(warning_flags, true);
    apply(critical_flags, false);
}

Limits Thresholds::get(const std::string& kind, const std::string& metric) const {
    auto it = limits_.find(kind + "." + metric);
    return it == limits_.end() ? Limits{} : it->second;
}

}  // namespace spotctl::health
