#include "commands/health/cli_health.hpp"

#include <fmt/format.h>
#include <memory>

#include "cli/validators.hpp"
#include "commands/health/health.hpp"
#include "commands/health/thresholds.hpp"

namespace spotctl::cli {
namespace {
struct HealthFlags {
    std::vector<std::string> kinds;
    std::vector<std::string> replicas;
    std::vector<std::string> http;
    std::string http_json;
    long http_status = 200;
    std::string ca_file;
    std::string probe_timeout = "3s";
    std::string timeout = "10s";
    std::string timeout_state = "critical";
    std::vector<std::string> warning, critical;
    std::string output_file;
    std::string migrations_dir;
    int watch = 0;
};

health::State state_of(const std::string& s) {
    return s == "warning" ? health::State::warning : s == "unknown" ? health::State::unknown : health::State::critical;
}
}  // namespace

void define_health(CommandBuilder& builder) {
    auto f = std::make_shared<HealthFlags>();
    CLI::App& app = builder.app();
    builder.config_table("health.http");
    builder.config_table("health.thresholds");
    // Monitoring systems read 3 (UNKNOWN) for a check that could not run at all.
    builder.error_exit_code(3);
    builder.output_formats({"table", "json", "nagios", "prometheus"});
    app.add_option("kinds", f->kinds, "Check only these: postgres, redis, http (default: all)")
        ->check(CLI::IsMember({"postgres", "redis", "http"}));
    builder.setting(app.add_option("--replica-url", f->replicas, "A PostgreSQL replica to check too (repeatable)"), "",
                    "health.replica_urls");
    app.add_option("--http", f->http, "An HTTP endpoint to check, NAME=URL (repeatable; more in [health.http.NAME])");
    app.add_option("--http-json", f->http_json, "For --http endpoints: a JSON field the body must have, FIELD=VALUE (status=healthy)");
    app.add_option("--http-status", f->http_status, "For --http endpoints: the expected status")->default_str("200");
    app.add_option("--ca-file", f->ca_file, "For --http endpoints: trust this CA bundle (PEM)");
    builder.setting(app.add_option("--probe-timeout", f->probe_timeout, "Each probe's time limit")->check(duration_value())->default_str("3s"),
                    "", "health.probe_timeout");
    builder.setting(app.add_option("--timeout", f->timeout, "The whole check's time limit")->check(duration_value())->default_str("10s"),
                    "", "health.timeout");
    builder.setting(app.add_option("--timeout-state", f->timeout_state, "What a timed-out probe reports")
                        ->check(CLI::IsMember({"critical", "warning", "unknown"}))
                        ->default_str("critical"),
                    "", "health.timeout_state");
    std::string metrics;
    for (const auto& k : health::Thresholds::known()) metrics += (metrics.empty() ? "" : ", ") + k;
    app.add_option("--warning", f->warning, "Warning limit KIND.METRIC=VALUE (repeatable): " + metrics);
    app.add_option("--critical", f->critical, "Critical limit KIND.METRIC=VALUE (repeatable)");
    builder.setting(app.add_option("--migrations-dir", f->migrations_dir,
                                   "Migrations to compare the database with (default: ./migrations, then the installed copy)"),
                    "SPOTCTL_MIGRATIONS_DIR", "migrate.dir");
    app.add_option("--output-file", f->output_file, "Write the output here atomically (for node_exporter's textfile collector)");
    app.add_option("--watch", f->watch, "Repeat every SECONDS, redrawing on a terminal")->check(CLI::Range(1, 86400));
    builder.action([f](Context& ctx) {
        health::Options o;
        o.kinds = f->kinds;
        o.replica_urls = f->replicas;
        o.endpoints = health::configured_endpoints(ctx.config());
        for (const auto& spec : f->http) {
            auto eq = spec.find('=');
            if (eq == std::string::npos || eq == 0)
                throw Error(Exit::usage, fmt::format("invalid --http '{}'", spec), "use NAME=URL, such as api=https://api.example.com/health");
            health::HttpEndpoint e;
            e.name = spec.substr(0, eq);
            e.url = spec.substr(eq + 1);
            e.expect_status = f->http_status;
            e.ca_file = f->ca_file;
            if (!f->http_json.empty()) {
                auto j = f->http_json.find('=');
                if (j == std::string::npos) throw Error(Exit::usage, fmt::format("invalid --http-json '{}'", f->http_json), "use FIELD=VALUE");
                e.json_field = f->http_json.substr(0, j);
                e.json_value = f->http_json.substr(j + 1);
            }
            o.endpoints.push_back(e);
        }
        o.probe_timeout = parse_duration(f->probe_timeout, "--probe-timeout");
        o.overall_timeout = parse_duration(f->timeout, "--timeout");
        o.timeout_state = state_of(f->timeout_state);
        o.warning_flags = f->warning;
        o.critical_flags = f->critical;
        o.output_file = f->output_file;
        o.migrations_dir = f->migrations_dir;
        o.watch_seconds = f->watch;
        return health::run(ctx, o);
    });
    builder.examples(
        "  spotctl health\n"
        "  spotctl health postgres --replica-url postgresql://monitor@replica1/spot   # illustrative: needs a replica\n"
        "  spotctl health http --http api=https://api.spot.example/health --http-json status=healthy   # illustrative: needs the real API\n"
        "  spotctl health -o nagios --timeout 5s                     # Nagios/Icinga check\n"
        "  spotctl health -o prometheus --output-file /var/lib/node_exporter/spotctl.prom\n"
        "  spotctl health --watch 2                                  # illustrative: runs until Ctrl-C\n"
        "Exit codes (monitoring convention): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
}

}  // namespace spotctl::cli
