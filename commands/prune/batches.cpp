#include "commands/prune/batches.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/progress.hpp"

namespace spotctl::prune {
namespace {

using Clock = std::chrono::steady_clock;

// The SQL below is built from the policy table's constants only; values travel as parameters.
std::string due_condition(const Policy& p) {
    return fmt::format("{key} < $1::timestamptz{cond}", fmt::arg("key", p.key),
                       fmt::arg("cond", p.condition.empty() ? "" : fmt::format(" AND {}", p.condition)));
}

// $1 last key (inclusive), $2 cutoff, $3 limit. The batch's rows are locked by the SELECT, so
// their ctid cannot change before the DELETE/UPDATE finds them by it (a TID scan).
std::string change_sql(const Policy& p) {
    std::string change = p.action == Action::remove ? fmt::format("DELETE FROM {}", p.table)
                                                    : fmt::format("UPDATE {} SET status = 'expired'", p.table);
    return fmt::format(R"(WITH batch AS MATERIALIZED (
    SELECT ctid AS row_ctid, {key} AS k FROM {table}
     WHERE {key} >= $1::timestamptz AND {key} < $2::timestamptz{cond}
     ORDER BY {key} LIMIT $3
     FOR UPDATE SKIP LOCKED
), changed AS (
    {change} WHERE ctid = ANY (ARRAY(SELECT row_ctid FROM batch)) RETURNING 1
)
SELECT (SELECT count(*) FROM batch) AS selected,
       (SELECT count(*) FROM changed) AS changed,
       (SELECT max(k) FROM batch)::text AS last_key)",
                       fmt::arg("key", p.key), fmt::arg("table", p.table),
                       fmt::arg("cond", p.condition.empty() ? "" : fmt::format(" AND {}", p.condition)),
                       fmt::arg("change", change));
}

PolicyResult start(pg::Connection& db, const Policy& policy, int days, const std::string& to) {
    PolicyResult r;
    r.policy = &policy;
    r.days = days;
    // One cutoff for the whole run: each batch's own now() would move it.
    // least() ignores the NULL of no --to. ISO 8601 UTC, as every table shows instants, with the
    // microseconds the batches compare against.
    r.cutoff = db.exec("SELECT to_char(least(now() - make_interval(days => $1::int), NULLIF($2, '')::timestamptz) AT TIME ZONE 'UTC', "
                       "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS cutoff",
                       pg::params(days, to))[0]
                   .str("cutoff");
    return r;
}

Millis since(Clock::time_point t) { return std::chrono::duration_cast<Millis>(Clock::now() - t); }

}  // namespace

PolicyResult count_due(pg::Connection& db, const Policy& policy, int days, const std::string& to) {
    auto t0 = Clock::now();
    PolicyResult r = start(db, policy, days, to);
    r.rows = db.exec(fmt::format("SELECT count(*) AS n FROM {} WHERE {}", policy.table, due_condition(policy)),
                     pg::params(r.cutoff))[0]
                 .integer("n");
    r.duration = since(t0);
    return r;
}

void run_policy(pg::Connection& db, const Policy& policy, int days, const std::string& to, long limit, const JobLock& lock,
                PolicyResult& r) {
    auto t0 = Clock::now();
    r = start(db, policy, days, to);
    const std::string sql = policy.action == Action::anonymise ? "" : change_sql(policy);
    Progress progress(fmt::format("prune {}", policy.name), std::nullopt, "rows");
    std::string last = "-infinity";
    for (;;) {
        auto batch_start = Clock::now();
        auto tx = db.begin();
        // A batch must not queue behind DDL (and the servers behind it): give up and retry later.
        tx.exec("SET LOCAL lock_timeout = '5s'");
        Batch b;
        if (policy.action == Action::anonymise) {
            b = anonymise_batch(tx, policy, days, last, r.cutoff, limit);
        } else {
            auto result = tx.exec(sql, pg::params(last, r.cutoff, limit));
            auto row = result[0];
            b = {row.integer("changed"), row.str("last_key"), row.integer("selected") == limit};
        }
        lock.verify();
        tx.commit();
        r.longest = std::max(r.longest, since(batch_start));
        if (b.changed > 0) ++r.batches;
        r.rows += b.changed;
        progress.advance(static_cast<std::uint64_t>(b.changed));
        if (!b.full) break;
        if (b.changed == 0 && b.last_key == last) {
            // Every due row at this key is locked elsewhere or changed under us: leave them for the next run.
            log::warn("prune {}: rows at {} = {} could not be changed; leaving them for the next run", policy.name, policy.key, last);
            break;
        }
        last = b.last_key;
    }
    progress.finish();
    r.duration = since(t0);
    if (log::level() <= log::Level::info)
        log::write(log::Level::info,
                   fmt::format("prune {}: {} {} rows in {} batch(es), longest transaction {}", policy.name,
                               action_name(policy.action, false), r.rows, r.batches, format_duration(r.longest)),
                   {{"policy", std::string(policy.name)}, {"table", std::string(policy.table)}, {"rows", static_cast<long long>(r.rows)},
                    {"batches", static_cast<long long>(r.batches)}, {"duration_s", r.duration.count() / 1000.0}});
}

}  // namespace spotctl::prune
