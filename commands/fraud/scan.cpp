// fraud scan, fraud rules and fraud backtest: the rules' SQL run over a window, with the
// findings upserted into fraud_alerts (scan) or shown next to past reviews (backtest).
#include <chrono>
#include <map>
#include <optional>
#include <fmt/format.h>

#include "commands/fraud/fraud.hpp"
#include "commands/fraud/rules.hpp"
#include "commands/fraud/data_extent.hpp"
#include "commands/fraud/window.hpp"
#include "core/errors.hpp"
#include "core/job_lock.hpp"
#include "core/log.hpp"

namespace spotctl::fraud {
namespace {

using exporters::CellType;

pg::Params rule_params(const ResolvedWindow& w, const std::vector<double>& thresholds, const Rule& rule) {
    pg::Params p = pg::params(w.from, w.to);
    for (double t : thresholds) p.push_back(format_threshold(t));
    p.push_back(std::string(rule.name));
    return p;
}

// The statement that runs a rule and merges its findings into fraud_alerts. A finding whose
// (rule, subject) already has an alert with an overlapping window is that alert: an open one is
// updated (window extended, score and evidence refreshed), a reviewed one is left alone. A
// finding for a subject whose dismissal is suppressing it (suppressed_until in the future)
// creates nothing. Everything else becomes a new open alert.
std::string merge_sql(const Rule& rule, bool dry_run) {
    std::size_t r = 3 + rule.thresholds.size();
    std::string head = fmt::format(R"SQL(
WITH f AS ({0}),
m AS (
    SELECT f.*, a.id AS existing, a.status AS existing_status,
           (a.id IS NOT NULL AND (a.score, a.evidence, a.window_end)
                IS DISTINCT FROM (f.score, f.evidence, greatest(a.window_end, f.window_end))) AS changed,
           EXISTS (SELECT 1 FROM fraud_alerts s
                    WHERE s.rule = ${1}::text AND s.subject_type = f.subject_type AND s.subject_id = f.subject_id
                      AND s.suppressed_until > now()) AS suppressed
      FROM f LEFT JOIN LATERAL (
           SELECT id, status, score, evidence, window_end FROM fraud_alerts a
            WHERE a.rule = ${1}::text AND a.subject_type = f.subject_type AND a.subject_id = f.subject_id
              AND a.window_start <= f.window_end AND a.window_end >= f.window_start
            ORDER BY a.window_start LIMIT 1) a ON true
))SQL",
                                   rule.sql, r);
    if (dry_run)
        return head + R"SQL(
SELECT count(*) AS findings,
       count(*) FILTER (WHERE existing IS NULL AND NOT suppressed) AS created,
       count(*) FILTER (WHERE existing_status = 'open' AND changed AND NOT suppressed) AS updated,
       count(*) FILTER (WHERE suppressed) AS suppressed
  FROM m)SQL";
    return head + fmt::format(R"SQL(,
upd AS (
    UPDATE fraud_alerts a
       SET window_end = greatest(a.window_end, m.window_end), score = m.score, evidence = m.evidence
      FROM m
     WHERE a.id = m.existing AND a.status = 'open' AND m.changed AND NOT m.suppressed
    RETURNING a.id
), ins AS (
    INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score, evidence)
    SELECT ${0}::text, subject_type, subject_id, window_start, window_end, score, evidence
      FROM m WHERE existing IS NULL AND NOT suppressed
    ON CONFLICT ON CONSTRAINT fraud_alerts_rule_subject_window_key DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM m) AS findings, (SELECT count(*) FROM ins) AS created,
       (SELECT count(*) FROM upd) AS updated, (SELECT count(*) FROM m WHERE suppressed) AS suppressed)SQL",
                              r);
}

std::string thresholds_text(const Rule& rule, const std::vector<double>& values) {
    std::string out;
    for (std::size_t i = 0; i < rule.thresholds.size(); ++i)
        out += fmt::format("{}{}={}", out.empty() ? "" : " ", rule.thresholds[i].name, format_threshold(values[i]));
    return out;
}

}  // namespace

int scan(Context& ctx, const ScanOptions& o) {
    auto chosen = select_rules(o.rules);
    // Thresholds first: a bad configuration stops the scan before any rule runs.
    std::vector<std::vector<double>> thresholds;
    thresholds.reserve(chosen.size());
    for (const Rule* rule : chosen) thresholds.push_back(resolve_thresholds(*rule, ctx.config()));
    // One writing scan at a time per database, so two runs cannot both create the same finding
    // with different windows; a dry run writes nothing and takes no lock.
    std::optional<JobLock> lock;
    if (!o.dry_run) lock.emplace(JobLock::acquire(ctx.pg_settings(), "fraud-scan", Millis(0)));
    auto& db = ctx.db();
    ResolvedWindow w = resolve_window(db, o.window);
    log::info("fraud scan: {} rule(s) over [{}, {}){}", chosen.size(), w.from, w.to, o.dry_run ? " (dry run)" : "");

    auto writer = ctx.writer();
    writer->begin({{"rule"}, {"findings", CellType::integer}, {"created", CellType::integer}, {"updated", CellType::integer},
                   {"unchanged", CellType::integer}, {"suppressed", CellType::integer}, {"time_ms", CellType::integer}});
    long long total_findings = 0, total_created = 0, total_updated = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        const Rule& rule = *chosen[i];
        auto started = std::chrono::steady_clock::now();
        // One transaction per rule: each rule's findings are committed as a whole.
        auto tx = db.begin();
        // The rules sort and hash a window's worth of rows: give them room, for this transaction only.
        tx.exec("SET LOCAL work_mem = '64MB'");
        auto r = tx.exec(merge_sql(rule, o.dry_run), rule_params(w, thresholds[i], rule));
        // A dry run's transaction is rolled back (it wrote nothing anyway).
        if (!o.dry_run) {
            lock->verify();
            tx.commit();
        }
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        long long findings = r[0].integer("findings"), created = r[0].integer("created"), updated = r[0].integer("updated"),
                  suppressed = r[0].integer("suppressed");
        long long unchanged = findings - created - updated - suppressed;
        total_findings += findings;
        total_created += created;
        total_updated += updated;
        ctx.job().rows_affected = total_created + total_updated;  // so far: a later rule's failure keeps the count
        log::write(log::Level::info,
                   fmt::format("fraud scan: {}: {} finding(s), {} created, {} updated in {} ms", rule.name, findings, created, updated, ms),
                   {{"rule", std::string(rule.name)}, {"rows", created + updated}, {"duration_s", ms / 1000.0}});
        writer->row({std::string(rule.name), std::to_string(findings), std::to_string(created), std::to_string(updated),
                     std::to_string(unchanged), std::to_string(suppressed), std::to_string(ms)});
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << fmt::format("\n{} finding(s) in [{}, {}): {} {}, {} {}{}\n", total_findings, w.from, w.to, total_created,
                                 o.dry_run ? "would be created" : "created", total_updated,
                                 o.dry_run ? "would be updated" : "updated", o.dry_run ? " (dry run: nothing written)" : "");
    if (total_findings == 0 && !ctx.options().quiet) log::status("no findings: {}", data_extent(db, w));
    return 0;
}

int list_rules(Context& ctx, bool with_sql) {
    auto writer = ctx.writer();
    std::vector<exporters::Column> columns = {{"rule"}, {"subject"}, {"thresholds"}, {"explanation"}};
    if (with_sql) columns.push_back({"sql"});
    writer->begin(columns);
    for (const auto& rule : rules()) {
        std::vector<exporters::Cell> cells = {std::string(rule.name), std::string(rule.subject),
                                              thresholds_text(rule, resolve_thresholds(rule, ctx.config())), std::string(rule.explanation)};
        if (with_sql) cells.push_back(std::string(rule.sql));
        writer->row(cells);
    }
    writer->end();
    return 0;
}

int backtest(Context& ctx, const BacktestOptions& o) {
    const Rule& rule = find_rule(o.rule);
    auto values = resolve_thresholds(rule, ctx.config(), o.thresholds);
    auto& db = ctx.db();
    ResolvedWindow w = resolve_window(db, o.window);
    std::size_t r = 3 + rule.thresholds.size();
    // Read-only: the rule's findings, each with the reviews of alerts that overlap it, then the
    // confirmed alerts of the window that these thresholds would no longer flag.
    std::string sql = fmt::format(R"SQL(
WITH f AS MATERIALIZED ({0}),
found AS (
    SELECT f.subject_type, f.subject_id, f.window_start, f.window_end, f.score::text AS score,
           coalesce((SELECT string_agg(DISTINCT a.status, ',') FROM fraud_alerts a
                      WHERE a.rule = ${1}::text AND a.subject_type = f.subject_type AND a.subject_id = f.subject_id
                        AND a.window_start <= f.window_end AND a.window_end >= f.window_start), 'new') AS past_review,
           f.evidence->>'summary' AS summary
      FROM f
), missed AS (
    SELECT a.subject_type, a.subject_id, a.window_start, a.window_end, a.score::text, 'confirmed, not flagged' AS past_review,
           a.evidence->>'summary' AS summary
      FROM fraud_alerts a
     WHERE a.rule = ${1}::text AND a.status = 'confirmed' AND a.window_start < $2::timestamptz AND a.window_end >= $1::timestamptz
       AND NOT EXISTS (SELECT 1 FROM f WHERE f.subject_type = a.subject_type AND f.subject_id = a.subject_id
                          AND a.window_start <= f.window_end AND a.window_end >= f.window_start)
)
SELECT subject_type, subject_id, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS window_start,
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS window_end, score, past_review, summary
  FROM (SELECT * FROM found UNION ALL SELECT * FROM missed) x
 ORDER BY x.window_start, x.subject_id)SQL",
                                  rule.sql, r);
    auto tx = db.begin(pg::Isolation::repeatable_read);
    tx.exec("SET LOCAL work_mem = '64MB'");
    auto rows = tx.exec(sql, rule_params(w, values, rule));
    tx.commit();
    std::map<std::string, long> counts;
    auto writer = ctx.writer();
    writer->begin({{"subject_type"}, {"subject_id"}, {"window_start", CellType::timestamp}, {"window_end", CellType::timestamp},
                   {"score", CellType::number}, {"past_review"}, {"summary"}});
    for (const auto& row : rows) {
        ++counts[row.str("past_review")];
        writer->row({row.str("subject_type"), row.str("subject_id"), row.str("window_start"), row.str("window_end"), row.str("score"),
                     row.str("past_review"), row.value("summary")});
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet) {
        long flagged = static_cast<long>(rows.size()) - counts["confirmed, not flagged"];
        ctx.out() << fmt::format(
            "\n{} with {} over [{}, {}): {} finding(s): {} new, {} open, {} confirmed before, {} dismissed before; "
            "{} confirmed alert(s) not flagged\n",
            rule.name, thresholds_text(rule, values), w.from, w.to, flagged, counts["new"], counts["open"], counts["confirmed"],
            counts["dismissed"], counts["confirmed, not flagged"]);
    }
    if (rows.empty() && !ctx.options().quiet) log::status("no findings: {}", data_extent(db, w));
    return 0;
}

}  // namespace spotctl::fraud
