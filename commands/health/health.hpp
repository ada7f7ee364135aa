#pragma once
// `spotctl health`: probes of PostgreSQL, Redis and HTTP endpoints, run concurrently within a
// deadline, reported for people and for monitoring, with the monitoring exit codes 0-3.
#include <string>
#include <vector>

#include "commands/health/health_model.hpp"
#include "commands/health/probes.hpp"
#include "core/context.hpp"

namespace spotctl::health {

struct Options {
    std::vector<std::string> kinds;  // postgres, redis, http; empty: all
    std::vector<std::string> replica_urls;
    std::vector<HttpEndpoint> endpoints;
    Millis probe_timeout{3000};
    Millis overall_timeout{10000};
    State timeout_state = State::critical;
    std::string output_file;
    std::string migrations_dir;  // to compare the database's migrations with; empty: the default
    int watch_seconds = 0;
    std::vector<std::string> warning_flags;
    std::vector<std::string> critical_flags;
};

// Endpoints from the configuration file: [health.http.NAME] url, expect_status, max_latency_ms,
// json_field, json_value, verify_tls, ca_file.
std::vector<HttpEndpoint> configured_endpoints(const Config& config);

Report check(Context& ctx, const Options& options);
int run(Context& ctx, const Options& options);

}  // namespace spotctl::health
