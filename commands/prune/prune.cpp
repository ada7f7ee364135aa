#include "commands/prune/prune.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/prune/batches.hpp"
#include "core/audit.hpp"
#include "core/log.hpp"
#include "core/prometheus.hpp"
#include "core/time_spec.hpp"

namespace spotctl::prune {
namespace {

using exporters::CellType;

std::vector<const Policy*> chosen_policies(const Options& o) {
    std::vector<const Policy*> chosen;
    for (const auto& name : o.policies) {
        const Policy* p = &find_policy(name);
        if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
    }
    if (chosen.empty())
        for (const auto& p : policies()) chosen.push_back(&p);
    // Always in the table's order, whatever order they were named in.
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

double seconds(Millis d) { return static_cast<double>(d.count()) / 1000.0; }

// One row per run in the audit trail, after the last batch: what the retention job changed. A run
// that fails after some batches committed records what they changed and why it stopped.
void audit_run(pg::Connection& db, const std::vector<PolicyResult>& results, const std::string& failure = {}) {
    nlohmann::json rows = nlohmann::json::object();
    long long total = 0;
    for (const auto& r : results) {
        if (r.policy == nullptr) continue;  // failed before it started
        rows[std::string(r.policy->name)] = {{"rows", r.rows}, {"cutoff", r.cutoff}};
        total += r.rows;
    }
    if (total == 0) return;
    nlohmann::json after{{"policies", rows}};
    if (!failure.empty()) after["stopped_by"] = failure;
    auto tx = db.begin();
    audit::record(tx, {std::nullopt, "", "prune.run", "", "", std::nullopt, after.dump(),
                       "retention (spotctl prune)"});
    tx.commit();
}

// prune's detail beside the metrics every job writes (core/job_metrics.hpp): per policy.
std::vector<prometheus::Metric> policy_metrics(const std::vector<PolicyResult>& results) {
    prometheus::Metric rows{"spotctl_prune_rows_removed", "Rows the last successful spotctl prune run deleted, expired or anonymised, per policy", "gauge", {}};
    prometheus::Metric duration{"spotctl_prune_duration_seconds", "Duration of the last successful spotctl prune run, per policy", "gauge", {}};
    prometheus::Metric longest{"spotctl_prune_longest_transaction_seconds", "Longest batch transaction of the last successful run, per policy", "gauge", {}};
    for (const auto& r : results) {
        std::map<std::string, std::string> labels = {{"policy", std::string(r.policy->name)}};
        rows.samples.push_back({labels, static_cast<double>(r.rows)});
        duration.samples.push_back({labels, seconds(r.duration)});
        longest.samples.push_back({labels, seconds(r.longest)});
    }
    return {rows, duration, longest};
}

long long rows_changed(const std::vector<PolicyResult>& results) {
    long long rows = 0;
    for (const auto& r : results) rows += r.rows;
    return rows;
}

}  // namespace

int run(Context& ctx, const Options& o) {
    auto chosen = chosen_policies(o);
    for (const auto& [name, days] : o.days) {
        find_policy(name);
        if (days < 0) throw Error(Exit::usage, fmt::format("the retention of {} must be 0 days or more, not {}", name, days));
    }
    if (o.batch_size < 1) throw Error(Exit::usage, "--batch-size must be at least 1");
    auto to_point = o.to.empty() ? std::nullopt : std::optional(time_spec::parse(o.to, "--to"));

    auto started = std::chrono::steady_clock::now();
    // A dry run only counts: it takes no lock, like migrate up --dry-run.
    std::optional<JobLock> lock;
    if (!o.dry_run) lock.emplace(JobLock::acquire(ctx.pg_settings(), "prune", Millis(0)));
    auto& db = ctx.db();
    const std::string to = to_point ? time_spec::resolve_instant(db, *to_point, time_spec::Edge::end) : "";
    std::vector<PolicyResult> results;
    for (const Policy* p : chosen) {
        auto given = o.days.find(p->name);
        int days = given != o.days.end() ? given->second : p->default_days;
        if (o.dry_run) {
            results.push_back(count_due(db, *p, days, to));
            continue;
        }
        try {
            run_policy(db, *p, days, to, o.batch_size, *lock, results.emplace_back());
        } catch (const std::exception& e) {
            ctx.job().rows_affected = rows_changed(results);  // the batches committed before the failure
            // Best effort: when the database itself is gone, the error that stopped us matters more.
            try {
                audit_run(db, results, e.what());
            } catch (const std::exception& audit_error) {
                log::warn("prune: could not audit the batches committed before the failure: {}", audit_error.what());
            }
            throw;
        }
    }
    if (!o.dry_run) audit_run(db, results);
    auto total = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);

    auto writer = ctx.writer();
    writer->begin({{"policy"},
                   {"table"},
                   {"action"},
                   {"days", CellType::integer},
                   {"cutoff", CellType::timestamp},
                   {"rows", CellType::integer},
                   {"batches", CellType::integer},
                   {"longest_transaction_ms", CellType::integer},
                   {"duration_ms", CellType::integer}});
    long long rows = 0;
    Millis longest{0};
    for (const auto& r : results) {
        writer->row({std::string(r.policy->name), std::string(r.policy->table), std::string(action_name(r.policy->action, o.dry_run)),
                     std::to_string(r.days), r.cutoff, std::to_string(r.rows), std::to_string(r.batches),
                     std::to_string(r.longest.count()), std::to_string(r.duration.count())});
        rows += r.rows;
        longest = std::max(longest, r.longest);
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << (o.dry_run ? fmt::format("\n{} rows are due in {} policies; nothing was changed (dry run)\n", rows, results.size())
                                : fmt::format("\n{} rows changed by {} policies in {}; longest transaction {}\n", rows,
                                              results.size(), format_duration(total), format_duration(longest)));
    ctx.job().rows_affected = rows;
    ctx.job().details = policy_metrics(results);
    return 0;
}

}  // namespace spotctl::prune
