#include "commands/health/health.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <future>
#include <iostream>
#include <thread>

#include "commands/health/health_output.hpp"
#include "core/atomic_file.hpp"
#include "core/log.hpp"
#include "core/parse_number.hpp"
#include "core/terminal.hpp"

namespace spotctl::health {
namespace {

bool wanted(const Options& o, const std::string& kind) {
    return o.kinds.empty() || std::find(o.kinds.begin(), o.kinds.end(), kind) != o.kinds.end();
}

std::optional<std::vector<migrate::MigrationFile>> migration_files(const std::string& configured) {
    try {
        auto dir = migrate::resolve_migrations_dir(configured);
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
        return migrate::load_migrations(dir, false);
    } catch (const Error& e) {
        log::warn("cannot read the migrations to compare with: {}", e.what());
        return std::nullopt;
    }
}

// A number of an endpoint's table, if it is set; anything else is a configuration error at its
// file and line (std::stol made "abc" an internal error).
std::optional<double> number_setting(const Config& config, const std::string& key, double low, double high, bool whole) {
    auto text = config.value(key);
    if (!text) return std::nullopt;
    auto v = parse_number<double>(*text);
    if (!v || !(*v >= low && *v <= high) || (whole && *v != std::floor(*v)))
        throw Error(Exit::config, fmt::format("{}: {} must be {} from {} to {}, not '{}'", config.where(key), key,
                                              whole ? "a whole number" : "a number", low, high, *text));
    return v;
}

}  // namespace

std::vector<HttpEndpoint> configured_endpoints(const Config& config) {
    std::vector<HttpEndpoint> out;
    for (const auto& name : config.keys("health.http")) {
        std::string base = "health.http." + name + ".";
        HttpEndpoint e;
        e.name = name;
        e.url = config.value(base + "url").value_or("");
        if (e.url.empty()) throw Error(Exit::config, fmt::format("{}: [health.http.{}] needs a url", config.where("health.http." + name), name));
        if (auto v = number_setting(config, base + "expect_status", 100, 599, true)) e.expect_status = static_cast<long>(*v);
        if (auto v = number_setting(config, base + "max_latency_ms", 0, 86'400'000, false)) e.max_latency_ms = *v;
        e.json_field = config.value(base + "json_field").value_or("");
        e.json_value = config.value(base + "json_value").value_or("");
        e.verify_tls = config.value(base + "verify_tls").value_or("true") == "true";
        e.ca_file = config.value(base + "ca_file").value_or("");
        out.push_back(e);
    }
    return out;
}

Report check(Context& ctx, const Options& o) {
    Thresholds thresholds(ctx.config(), o.warning_flags, o.critical_flags);
    auto started = std::chrono::steady_clock::now();
    Millis per_probe = std::min(o.probe_timeout, o.overall_timeout);
    ProbeContext probe_ctx{thresholds, o.timeout_state, started + per_probe, per_probe};

    // Every probe in a thread of its own; each is bounded by its own deadline.
    std::vector<std::future<std::vector<Probe>>> running;
    std::vector<std::string> lsns(1 + o.replica_urls.size());
    MigrationFiles files;
    if (wanted(o, "postgres")) {
        // Reading and hashing the files overlaps the primary's connection and query.
        files = std::async(std::launch::async, [&] { return migration_files(o.migrations_dir); }).share();
        running.push_back(std::async(std::launch::async, [&] {
            return std::vector<Probe>{probe_postgres(ctx.pg_settings(), "primary", &files, probe_ctx, lsns[0])};
        }));
        for (std::size_t i = 0; i < o.replica_urls.size(); ++i) {
            pg::Settings s = ctx.pg_settings();
            s.url = o.replica_urls[i];
            running.push_back(std::async(std::launch::async, [&, s, i] {
                return std::vector<Probe>{probe_postgres(s, fmt::format("replica{}", i + 1), nullptr, probe_ctx, lsns[i + 1])};
            }));
        }
    }
    if (wanted(o, "redis"))
        running.push_back(std::async(std::launch::async, [&] { return probe_redis(ctx.options().redis_url, probe_ctx); }));
    if (wanted(o, "http"))
        for (const auto& e : o.endpoints)
            running.push_back(std::async(std::launch::async, [&, e] { return std::vector<Probe>{probe_http(e, probe_ctx)}; }));

    Report report;
    for (auto& r : running)
        for (auto& p : r.get()) report.probes.push_back(std::move(p));

    // Replication lag in bytes: the primary's WAL position against each replica's.
    for (std::size_t i = 1; i < lsns.size(); ++i) {
        if (report.probes.empty() || lsns[0].empty() || lsns[i].empty()) continue;
        for (auto& p : report.probes)
            if (p.kind == "postgres" && p.name == fmt::format("replica{}", i))
                if (auto bytes = wal_distance(lsns[0], lsns[i]))
                    add_metric(p, {"replication_lag_bytes", *bytes, "B", thresholds.get("postgres", "replication_lag_bytes"), State::ok});
    }
    for (const auto& p : report.probes) report.state = worst(report.state, p.state);
    report.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    report.checked_at = static_cast<long long>(std::time(nullptr));
    return report;
}

int run(Context& ctx, const Options& o) {
    const std::string& format = ctx.options().output;
    // -o was checked against the formats the command declares (cli_*.cpp).
    for (;;) {
        Report report = check(ctx, o);
        std::string text = format == "json" ? render_json(report)
                           : format == "nagios" ? render_nagios(report)
                           : format == "prometheus" ? render_prometheus(report)
                                                    : render_table(report, terminal::color_enabled());
        if (!o.output_file.empty()) write_file_atomically(o.output_file, text, 0644);
        else if (o.watch_seconds > 0 && terminal::stdout_is_tty()) ctx.out() << "\033[H\033[2J" << text << std::flush;
        else ctx.out() << text << std::flush;
        if (o.watch_seconds <= 0) return static_cast<int>(report.state);
        std::this_thread::sleep_for(std::chrono::seconds(o.watch_seconds));
    }
}

}  // namespace spotctl::health
