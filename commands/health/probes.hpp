#pragma once
// The probes: each runs against one server or endpoint, bounded by its deadline, and returns
// a Probe whatever happens (a failure is a state, not an exception).
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "commands/health/health_model.hpp"
#include "commands/health/thresholds.hpp"
#include "commands/migrate/migration_files.hpp"
#include "core/pg.hpp"

namespace spotctl::health {

using Deadline = std::chrono::steady_clock::time_point;

struct HttpEndpoint {
    std::string name;
    std::string url;
    long expect_status = 200;
    std::optional<double> max_latency_ms;  // overrides http.latency_ms critical
    std::string json_field;                // dotted path in the body, e.g. "status" or "checks.db"
    std::string json_value;                // what it must be
    bool verify_tls = true;
    std::string ca_file;
};

struct ProbeContext {
    const Thresholds& thresholds;
    State timeout_state;
    Deadline deadline;
    Millis timeout;  // the limit the deadline stands for, for messages
};

// The migrations on disk, read (and hashed) while the probe connects and queries; nullopt when
// there is no migrations directory.
using MigrationFiles = std::shared_future<std::optional<std::vector<migrate::MigrationFile>>>;

// `files`: the migrations to compare with the database's record, to report pending, changed or
// dirty ones; null not to compare (replicas). `wal_lsn` receives the server's current (primary)
// or replayed (replica) WAL position.
Probe probe_postgres(const pg::Settings& settings, const std::string& name, const MigrationFiles* files, const ProbeContext& ctx,
                     std::string& wal_lsn);

// One probe for a single Redis, or one per node of a Redis Cluster.
std::vector<Probe> probe_redis(const std::string& url, const ProbeContext& ctx);

Probe probe_http(const HttpEndpoint& endpoint, const ProbeContext& ctx);

// Bytes between two WAL positions ("16/B374D848"); nullopt if either does not parse.
std::optional<double> wal_distance(const std::string& from, const std::string& to);

}  // namespace spotctl::health
