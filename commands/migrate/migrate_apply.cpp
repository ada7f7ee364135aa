// migrate up, down, baseline and repair: the subcommands that change the database, each under
// the migrate lock.
#include <fmt/format.h>
#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "core/build_info.hpp"

#include "commands/migrate/legacy_state.hpp"
#include "commands/migrate/migrate.hpp"
#include "commands/migrate/runner.hpp"
#include "commands/migrate/session.hpp"
#include "core/log.hpp"

namespace spotctl::migrate {
namespace {

RunSettings run_settings(Context& ctx, const Options& o) {
    return RunSettings{o.ddl_lock_timeout, o.statement_timeout, o.lock_retries, o.lock_retry_base, ctx.pg_settings(),
                       applied_by(ctx.db())};
}

void refuse_if_dirty(const Session& s) {
    if (const Entry* d = s.dirty())
        throw Error(Exit::data,
                    fmt::format("the database is dirty: migration {} failed part-way{}", d->label,
                                d->applied->error.empty() ? "" : ": " + d->applied->error),
                    "see 'spotctl migrate status', fix the cause, then run 'spotctl migrate repair --yes'");
}

void refuse_if_changed(const Session& s) {
    for (const auto& e : s.entries)
        if (e.state == State::changed)
            throw Error(Exit::data,
                        fmt::format("{}: changed since it was applied (checksum {} in the database, {} on disk)",
                                    e.file->up.path.string(), e.applied->checksum.substr(0, 12), e.file->checksum.substr(0, 12)),
                        "restore the file, or accept the change with 'spotctl migrate repair --yes'");
}

void warn_missing(const Session& s) {
    for (const auto& e : s.entries)
        if (e.state == State::missing)
            log::warn("migration {} is applied but its file is missing from the migrations directory", e.label);
}

const MigrationFile& file_for(const Session& s, long long version) {
    for (const auto& f : s.files)
        if (f.version == version) return f;
    throw Error(Exit::usage, fmt::format("no migration with version {} in the migrations directory", version));
}

nlohmann::json summary(const std::string& action, const std::vector<std::pair<const MigrationFile*, long long>>& done,
                       bool dry_run) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [f, ms] : done) {
        nlohmann::json item = {{"version", f->version}, {"name", f->name}, {"no_transaction", f->up.no_transaction}};
        if (!dry_run) item["execution_ms"] = ms;
        list.push_back(item);
    }
    return {{"action", action}, {"dry_run", dry_run}, {"migrations", list}, {"count", done.size()}};
}

void print_json(Context& ctx, const nlohmann::json& j) {
    if (ctx.format() == exporters::Format::json) ctx.out() << j.dump(2) << '\n';
}

}  // namespace

int up(Context& ctx, const Options& o, std::optional<long long> to, bool dry_run) {
    // A dry run takes no lock and creates nothing: it only reads.
    Session s = Session::open(ctx, o, !dry_run);
    if (to) file_for(s, *to);
    refuse_if_dirty(s);
    refuse_if_changed(s);
    warn_missing(s);

    std::vector<const MigrationFile*> pending;
    for (const auto& e : s.entries)
        if (e.state == State::pending && (!to || e.version <= *to)) pending.push_back(e.file);

    std::vector<std::pair<const MigrationFile*, long long>> done;
    if (dry_run) {
        for (const auto* f : pending) {
            say(ctx, fmt::format("would apply {}{}", f->label(), f->up.no_transaction ? " (no transaction)" : ""));
            done.emplace_back(f, 0);
        }
        if (pending.empty()) say(ctx, "nothing to apply: the database is up to date");
        print_json(ctx, summary("up", done, true));
        return 0;
    }
    RunSettings settings = run_settings(ctx, o);
    for (const auto* f : pending) {
        long long ms = run_up(ctx.db(), *s.lock, *f, settings);
        say(ctx, fmt::format("applied {} ({})", f->label(), format_duration(Millis(ms))));
        done.emplace_back(f, ms);
    }
    if (pending.empty()) say(ctx, fmt::format("nothing to apply: the database is up to date ({} applied)", s.applied.size()));
    ctx.job().details.push_back({"spotctl_migrate_applied", "Migrations the last successful spotctl migrate up applied", "gauge",
                                 {{{}, static_cast<double>(done.size())}}});
    print_json(ctx, summary("up", done, false));
    return 0;
}

int down(Context& ctx, const Options& o, std::optional<int> steps, std::optional<long long> to, bool dry_run, bool yes) {
    if (steps && to) throw Error(Exit::usage, "--steps and --to cannot be used together");
    if (steps && *steps < 1) throw Error(Exit::usage, fmt::format("--steps must be at least 1, not {}", *steps));
    Session s = Session::open(ctx, o, !dry_run);
    refuse_if_dirty(s);
    if (to && *to != 0) file_for(s, *to);

    std::vector<const Entry*> applied;
    for (const auto& e : s.entries)
        if (e.applied) applied.push_back(&e);
    std::reverse(applied.begin(), applied.end());
    std::vector<const MigrationFile*> targets;
    int limit = steps.value_or(to ? static_cast<int>(applied.size()) : 1);
    for (const Entry* e : applied) {
        if (static_cast<int>(targets.size()) >= limit || (to && e->version <= *to)) break;
        if (!e->file) throw Error(Exit::data, fmt::format("cannot revert {}: its files are missing from the migrations directory", e->label));
        if (!e->file->down)
            throw Error(Exit::data, fmt::format("cannot revert {}: {}; nothing reverted", e->label, e->file->missing_down()));
        if (e->state == State::changed)
            throw Error(Exit::data, fmt::format("cannot revert {}: its up file changed since it was applied", e->label),
                        "restore the file or run 'spotctl migrate repair --yes' first");
        targets.push_back(e->file);
    }
    std::vector<std::pair<const MigrationFile*, long long>> done;
    if (targets.empty()) {
        say(ctx, "nothing to revert");
        print_json(ctx, summary("down", done, dry_run));
        return 0;
    }
    if (dry_run) {
        for (const auto* f : targets) {
            say(ctx, fmt::format("would revert {}", f->label()));
            done.emplace_back(f, 0);
        }
        print_json(ctx, summary("down", done, true));
        return 0;
    }
    std::string names;
    for (const auto* f : targets) names += (names.empty() ? "" : ", ") + f->label();
    ctx.confirm(fmt::format("Revert {} migration(s) ({}) on {}?", targets.size(), names, pg::describe(ctx.pg_settings())), yes);
    RunSettings settings = run_settings(ctx, o);
    for (const auto* f : targets) {
        long long ms = run_down(ctx.db(), *s.lock, *f, settings);
        say(ctx, fmt::format("reverted {} ({})", f->label(), format_duration(Millis(ms))));
        done.emplace_back(f, ms);
    }
    print_json(ctx, summary("down", done, false));
    return 0;
}

int baseline(Context& ctx, const Options& o, std::optional<long long> version, const std::string& from) {
    std::optional<LegacyTool> tool;
    if (!from.empty() && !(tool = legacy_tool(from)))
        throw Error(Exit::usage, fmt::format("--from {}: not a tool spotctl can adopt from", from),
                    "give --from golang-migrate or --from dbmate");
    if (version.has_value() == tool.has_value()) throw Error(Exit::usage, "give either --version or --from");
    Session s = Session::open(ctx, o, true);
    if (version) file_for(s, *version);
    if (!s.applied.empty())
        throw Error(Exit::data,
                    fmt::format("cannot baseline: the database already has {} applied migration(s)", s.applied.size()),
                    "baseline adopts a database that spotctl has never migrated; see 'spotctl migrate status'");
    std::string by = applied_by(ctx.db());
    // The other tool's table is read in the same transaction that records the files, so any
    // refusal leaves nothing recorded; that table itself is never changed.
    auto tx = ctx.db().begin();
    std::vector<const MigrationFile*> adopted;
    if (tool) {
        adopted = applied_by_legacy_tool(tx, *tool, s.files);
    } else {
        for (const auto& f : s.files)
            if (f.version <= *version) adopted.push_back(&f);
    }
    for (const auto* f : adopted)
        tx.exec("INSERT INTO spotctl_schema_migrations (version, name, checksum, applied_by, spotctl_version, baseline) "
                "VALUES ($1, $2, $3, $4, $5, true)",
                pg::params(f->version, f->name, f->checksum, by, build::version));
    s.lock->verify();
    tx.commit();
    long long last = adopted.empty() ? 0 : adopted.back()->version;
    std::size_t count = adopted.size();
    if (tool) {
        say(ctx, fmt::format("baselined from {}'s {} at {}: {} migration(s) recorded as applied without running them; "
                             "its table is left in place",
                             legacy_tool_name(*tool), legacy_table, adopted.back()->label(), count));
    } else {
        say(ctx, fmt::format("baselined at {}: {} migration(s) recorded as applied without running them", *version, count));
    }
    nlohmann::json j = {{"action", "baseline"}, {"version", tool ? last : *version}, {"count", count}};
    if (tool) j["from"] = legacy_tool_name(*tool);
    print_json(ctx, j);
    return 0;
}

int repair(Context& ctx, const Options& o, bool dry_run, bool yes) {
    Session s = Session::open(ctx, o, !dry_run);
    struct Step {
        std::string description;
        std::function<void()> run;
    };
    std::vector<Step> steps;
    for (const auto& e : s.entries) {
        if (e.state == State::dirty) {
            for (const auto& idx : invalid_indexes_left_by(ctx, e)) {
                steps.push_back({fmt::format("drop INVALID index {} left by {}", idx, e.label), [&ctx, idx] {
                                     ctx.db().exec("DROP INDEX CONCURRENTLY IF EXISTS " + idx);
                                 }});
            }
            long long version = e.version;
            steps.push_back({fmt::format("clear the dirty mark of {} so that 'up' runs it again", e.label), [&ctx, version] {
                                 ctx.db().exec("DELETE FROM spotctl_schema_migrations WHERE version = $1 AND dirty",
                                               pg::params(version));
                             }});
        } else if (e.state == State::changed) {
            long long version = e.version;
            std::string checksum = e.file->checksum;
            steps.push_back({fmt::format("record the new checksum of {} ({} -> {})", e.label, e.applied->checksum.substr(0, 12),
                                         checksum.substr(0, 12)),
                             [&ctx, version, checksum] {
                                 ctx.db().exec("UPDATE spotctl_schema_migrations SET checksum = $2 WHERE version = $1",
                                               pg::params(version, checksum));
                             }});
        }
    }
    nlohmann::json actions = nlohmann::json::array();
    for (const auto& st : steps) actions.push_back(st.description);
    if (steps.empty()) {
        say(ctx, "nothing to repair");
    } else if (dry_run) {
        for (const auto& st : steps) say(ctx, "would " + st.description);
    } else {
        ctx.confirm(fmt::format("Repair {} item(s) on {}?", steps.size(), pg::describe(ctx.pg_settings())), yes);
        for (const auto& st : steps) {
            s.lock->verify();
            st.run();
            say(ctx, "did " + st.description);
        }
    }
    print_json(ctx, {{"action", "repair"}, {"dry_run", dry_run}, {"steps", actions}});
    return 0;
}

}  // namespace spotctl::migrate
