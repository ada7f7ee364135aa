#include "commands/migrate/backfill.hpp"

#include <chrono>
#include <fmt/format.h>

#include "core/log.hpp"
#include "core/progress.hpp"

namespace spotctl::migrate {
namespace {

using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

// "schema"."table" from the directive's (already validated) lowercase name.
std::string quoted_table(pg::Connection& db, const std::string& name) {
    auto dot = name.find('.');
    if (dot == std::string::npos) return db.quote_name(name);
    return db.quote_name(name.substr(0, dot)) + "." + db.quote_name(name.substr(dot + 1));
}

struct Position {
    long long next_key, last_key, size;
};

// The backfill's row: created with the table's key bounds on the first run, read on a resume.
Position start_or_resume(pg::Connection& db, const MigrationFile& m, const BatchDirective& d) {
    db.exec(R"(
CREATE TABLE IF NOT EXISTS spotctl_backfills (
    version          bigint PRIMARY KEY,
    checksum         text        NOT NULL,
    table_name       text        NOT NULL,
    key_column       text        NOT NULL,
    first_key        bigint      NOT NULL,
    last_key         bigint      NOT NULL,
    next_key         bigint      NOT NULL,
    batch_size       bigint      NOT NULL,
    batches          bigint      NOT NULL DEFAULT 0,
    rows_done        bigint      NOT NULL DEFAULT 0,
    longest_batch_ms bigint      NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
))");
    auto row = db.exec("SELECT checksum, next_key, last_key, batch_size FROM spotctl_backfills WHERE version = $1",
                       pg::params(m.version));
    if (!row.empty()) {
        if (row[0].str("checksum") != m.checksum)
            throw Error(Exit::data,
                        fmt::format("{}: changed since its backfill started (it stopped at key {})",
                                    m.up.path.string(), row[0].integer("next_key")),
                        "restore the file as it was, or finish with a new migration and delete its row from spotctl_backfills");
        log::info("resuming the backfill of {} at key {}", m.label(), row[0].integer("next_key"));
        return {row[0].integer("next_key"), row[0].integer("last_key"), row[0].integer("batch_size")};
    }
    auto bounds = db.exec(fmt::format("SELECT coalesce(min({0}), 1)::bigint AS lo, coalesce(max({0}), 0)::bigint AS hi FROM {1}",
                                      db.quote_name(d.key), quoted_table(db, d.table)));
    Position p{bounds[0].integer("lo"), bounds[0].integer("hi"), d.size};
    db.exec("INSERT INTO spotctl_backfills (version, checksum, table_name, key_column, first_key, last_key, next_key, batch_size) "
            "VALUES ($1, $2, $3, $4, $5, $6, $5, $7)",
            pg::params(m.version, m.checksum, d.table, d.key, p.next_key, p.last_key, p.size));
    return p;
}

}  // namespace

long long run_backfill(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings) {
    const BatchDirective& d = *m.up.batch;
    auto started = Clock::now();
    Position p = start_or_resume(db, m, d);
    Progress progress("backfill " + m.label(),
                      static_cast<std::uint64_t>(p.last_key >= p.next_key ? p.last_key - p.next_key + 1 : 0), "keys");
    while (p.next_key <= p.last_key) {
        long long end = p.last_key - p.next_key < p.size ? p.last_key + 1 : p.next_key + p.size;
        auto batch_started = Clock::now();
        auto tx = db.begin();
        std::size_t rows = 0;
        try {
            tx.exec(timeout_sql(true, settings));
            rows = tx.exec(d.statement, pg::params(p.next_key, end)).affected_rows();
        } catch (const Error& e) {
            throw Error(e.code() == Exit::internal ? Exit::data : e.code(),
                        fmt::format("{}: the batch of keys {} to {} failed: {}; the backfill stopped before it and resumes there",
                                    m.up.path.string(), p.next_key, end - 1, e.what()),
                        "fix the cause, then run 'spotctl migrate up' again");
        }
        long long next_size = next_batch_size(d, p.size, Millis(ms_since(batch_started)));
        tx.exec("UPDATE spotctl_backfills SET next_key = $2, batch_size = $3, batches = batches + 1, rows_done = rows_done + $4, "
                "longest_batch_ms = greatest(longest_batch_ms, $5), updated_at = now() WHERE version = $1",
                pg::params(m.version, end, next_size, rows, ms_since(batch_started)));
        lock.verify();
        tx.commit();
        progress.advance(static_cast<std::uint64_t>(end - p.next_key));
        p.next_key = end;
        p.size = next_size;
    }
    progress.finish();
    long long ms = ms_since(started);
    auto tx = db.begin();
    record_applied(tx, m, settings, ms);
    auto done = tx.exec("DELETE FROM spotctl_backfills WHERE version = $1 RETURNING rows_done, batches, longest_batch_ms",
                        pg::params(m.version));
    lock.verify();
    tx.commit();
    log::info("backfill of {}: {} rows in {} batches, longest batch {}", m.label(), done[0].integer("rows_done"),
              done[0].integer("batches"), format_duration(Millis(done[0].integer("longest_batch_ms"))));
    return ms;
}

std::optional<std::string> backfill_progress(pg::Connection& db, long long version, bool running) {
    if (!db.exec("SELECT to_regclass('spotctl_backfills') IS NOT NULL AS present")[0].boolean("present")) return std::nullopt;
    auto rows = db.exec("SELECT first_key, last_key, next_key, batches, rows_done, longest_batch_ms FROM spotctl_backfills "
                        "WHERE version = $1",
                        pg::params(version));
    if (rows.empty()) return std::nullopt;
    auto r = rows[0];
    long long first = r.integer("first_key"), last = r.integer("last_key"), next = r.integer("next_key");
    long long percent = last >= first ? (next - first) * 100 / (last - first + 1) : 100;
    return fmt::format("backfill {} at key {} of {}..{} ({}%), {} rows in {} batches, longest {}",
                       running ? "running" : "interrupted", next, first, last, percent, r.integer("rows_done"),
                       r.integer("batches"), format_duration(Millis(r.integer("longest_batch_ms"))));
}

}  // namespace spotctl::migrate
