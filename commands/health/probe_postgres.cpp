#include <charconv>
#include <fmt/format.h>

#include "commands/health/probes.hpp"
#include "commands/migrate/plan.hpp"
#include "core/pg_probe.hpp"

namespace spotctl::health {
namespace {

// The server's state, in one statement.
constexpr const char* status_sql = R"(
SELECT current_setting('server_version') AS version,
       pg_is_in_recovery() AS in_recovery,
       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
       current_setting('max_connections')::int AS max_connections,
       coalesce(extract(epoch FROM now() - (SELECT min(xact_start) FROM pg_stat_activity
                                             WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid())), 0) AS oldest_xact,
       pg_database_size(current_database()) AS database_size,
       CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text ELSE pg_current_wal_lsn()::text END AS wal_lsn,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END AS lag_seconds)";

double as_number(const pg::Value& v) {
    if (!v) return 0;
    double d = 0;
    std::from_chars(v->data(), v->data() + v->size(), d);
    return d;
}

void fail(Probe& p, const pg::ProbeError& e, State timeout_state) {
    p.timed_out = e.timed_out();
    p.state = e.timed_out() ? timeout_state : State::critical;
    p.summary = e.what();
}

// Sent after the status query in the same round trip on the primary. Without
// the table (a database never migrated) or the right to read it, the server answers with that
// error instead, which the probe reports without failing.
constexpr const char* migrations_sql = "SELECT version, name, checksum, dirty FROM spotctl_schema_migrations";
constexpr const char* undefined_table = "42P01";
constexpr const char* insufficient_privilege = "42501";

void check_migrations(Probe& p, const pg::Rows& rows, const std::vector<migrate::MigrationFile>& files, const ProbeContext& ctx) {
    std::vector<migrate::AppliedMigration> applied;
    for (const auto& r : rows.rows) {
        migrate::AppliedMigration a;
        a.version = static_cast<long long>(as_number(r[0]));
        a.name = r[1].value_or("");
        a.checksum = r[2].value_or("");
        a.dirty = r[3] == pg::Value("t");
        applied.push_back(a);
    }
    double pending = 0, changed = 0, dirty = 0;
    for (const auto& e : migrate::compare(files, applied)) {
        if (e.state == migrate::State::pending) ++pending;
        if (e.state == migrate::State::changed || e.state == migrate::State::missing) ++changed;
        if (e.state == migrate::State::dirty) ++dirty;
    }
    add_metric(p, {"applied_migrations", static_cast<double>(applied.size()), "", {}, State::ok});
    add_metric(p, {"pending_migrations", pending, "", ctx.thresholds.get("postgres", "pending_migrations"), State::ok});
    add_metric(p, {"changed_migrations", changed, "", ctx.thresholds.get("postgres", "changed_migrations"), State::ok});
    add_metric(p, {"dirty_migrations", dirty, "", ctx.thresholds.get("postgres", "dirty_migrations"), State::ok});
}

}  // namespace

std::optional<double> wal_distance(const std::string& from, const std::string& to) {
    auto parse = [](const std::string& lsn) -> std::optional<double> {
        auto slash = lsn.find('/');
        if (slash == std::string::npos) return std::nullopt;
        unsigned long long hi = 0, lo = 0;
        auto a = std::from_chars(lsn.data(), lsn.data() + slash, hi, 16);
        auto b = std::from_chars(lsn.data() + slash + 1, lsn.data() + lsn.size(), lo, 16);
        if (a.ec != std::errc() || b.ec != std::errc()) return std::nullopt;
        return static_cast<double>((hi << 32) | lo);
    };
    auto f = parse(from), t = parse(to);
    if (!f || !t) return std::nullopt;
    return std::max(0.0, *f - *t);
}

Probe probe_postgres(const pg::Settings& settings, const std::string& name, const MigrationFiles* files, const ProbeContext& ctx,
                     std::string& wal_lsn) {
    Probe p;
    p.kind = "postgres";
    p.name = name;
    p.target = pg::describe(settings);
    auto started = std::chrono::steady_clock::now();
    try {
        pg::ProbeSession session(settings, ctx.deadline);
        p.up = true;
        add_metric(p, {"connect_ms", session.connect_ms(), "ms", ctx.thresholds.get("postgres", "connect_ms"), State::ok});
        // One round trip: the status, then (on the primary) the migrations recorded. Its
        // time is the latency: a monitoring run every few seconds pays for no extra SELECT 1.
        auto t0 = std::chrono::steady_clock::now();
        auto answers = session.batch(files ? fmt::format("{};\n{}", status_sql, migrations_sql) : std::string(status_sql), ctx.deadline);
        double latency = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (answers.empty() || !answers[0].error.empty())
            throw pg::ProbeError(fmt::format("query failed on {}: {}", p.target, answers.empty() ? "no answer" : answers[0].error), false);
        add_metric(p, {"latency_ms", latency, "ms", ctx.thresholds.get("postgres", "latency_ms"), State::ok});
        const pg::Rows& s = answers[0].rows;
        bool replica = s.first("in_recovery") == pg::Value("t");
        double connections = as_number(s.first("connections")), max = as_number(s.first("max_connections"));
        add_metric(p, {"connections", connections, "", {}, State::ok});
        add_metric(p, {"connections_used_percent", max > 0 ? 100.0 * connections / max : 0, "%",
                       ctx.thresholds.get("postgres", "connections_used_percent"), State::ok});
        add_metric(p, {"oldest_transaction_seconds", as_number(s.first("oldest_xact")), "s",
                       ctx.thresholds.get("postgres", "oldest_transaction_seconds"), State::ok});
        add_metric(p, {"database_size_bytes", as_number(s.first("database_size")), "B", {}, State::ok});
        add_metric(p, {"in_recovery", replica ? 1.0 : 0.0, "", {}, State::ok});
        if (replica)
            add_metric(p, {"replication_lag_seconds", as_number(s.first("lag_seconds")), "s",
                           ctx.thresholds.get("postgres", "replication_lag_seconds"), State::ok});
        wal_lsn = s.first("wal_lsn").value_or("");
        // The files were read meanwhile; nullopt without a migrations directory.
        const auto* on_disk = files && files->get() ? &*files->get() : nullptr;
        if (on_disk && answers.size() > 1) {
            const pg::Statement& m = answers[1];
            // A monitoring role may hold no more than CONNECT: then the migration figures are left
            // out (and said so), rather than the whole probe failing.
            if (m.error.empty()) check_migrations(p, m.rows, *on_disk, ctx);
            else if (m.sqlstate == insufficient_privilege)
                p.notes.push_back("migrations not checked: the role may not read spotctl_schema_migrations (GRANT SELECT)");
            else if (m.sqlstate == undefined_table && !on_disk->empty())
                add_metric(p, {"pending_migrations", static_cast<double>(on_disk->size()), "", ctx.thresholds.get("postgres", "pending_migrations"), State::ok});
            else if (m.sqlstate != undefined_table)
                throw pg::ProbeError(fmt::format("query failed on {}: {}", p.target, m.error), false);
        }
        p.summary = fmt::format("PostgreSQL {}{}, {:.0f}/{:.0f} connections", s.first("version").value_or("?"),
                                replica ? " replica" : "", connections, max);
    } catch (const pg::ProbeError& e) {
        fail(p, e, ctx.timeout_state);
    }
    p.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return p;
}

}  // namespace spotctl::health
