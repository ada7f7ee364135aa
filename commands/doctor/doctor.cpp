#include "commands/doctor/doctor.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <optional>
#include <sstream>

#include "commands/doctor/checks.hpp"
#include "commands/doctor/doctor_output.hpp"
#include "commands/doctor/repairs.hpp"
#include "core/atomic_file.hpp"
#include "core/progress.hpp"
#include "core/terminal.hpp"

namespace spotctl::doctor {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<const Check*> selected(const Options& o) {
    for (const auto& n : o.only) find_check(n);  // unknown names are usage errors, before any work
    for (const auto& n : o.skip) find_check(n);
    std::vector<const Check*> out;
    for (const auto& c : all_checks())
        if ((o.only.empty() || contains(o.only, c.name)) && !contains(o.skip, c.name)) out.push_back(&c);
    if (out.empty()) throw Error(Exit::usage, "no check left to run", "--skip removed every check that --check named");
    return out;
}

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void set_at(pg::Connection& db, const std::string& at) {
    if (at.empty()) return;
    try {
        db.exec("SELECT set_config('spotctl.doctor_at', $1::timestamptz::text, false)", pg::params(at));
    } catch (const pg::DbError& e) {
        if (e.sqlstate().rfind("22", 0) != 0) throw;
        throw Error(Exit::usage, fmt::format("--at '{}' is not a time", at), "use an ISO 8601 time such as 2026-11-19T12:00:00Z");
    }
}

int list(Context& ctx) {
    // The query of each SQL check, for machines (a benchmark, a person reproducing a finding in
    // psql); a table would drown in it.
    bool with_sql = ctx.format() != exporters::Format::table;
    auto writer = ctx.writer();
    std::vector<exporters::Column> columns = {{"check"}, {"area"}, {"finds"}, {"repair"}};
    if (with_sql) columns.push_back({"sql"});
    writer->begin(columns);
    for (const auto& c : all_checks()) {
        std::vector<exporters::Cell> row = {c.name, c.area, c.finds, c.repair.empty() ? "none: a person decides " + c.decide : c.repair};
        if (with_sql) row.push_back(c.sql.empty() ? exporters::Cell() : exporters::Cell(c.sql));
        writer->row(row);
    }
    writer->end();
    return 0;
}

int run(Context& ctx, const Options& o) {
    const std::string& format = ctx.options().output;
    // -o was checked against the formats the command declares (cli_*.cpp).
    auto checks = selected(o);
    auto started = std::chrono::steady_clock::now();

    pg::Connection& primary = ctx.db();
    std::unique_ptr<pg::Connection> replica;
    if (!o.replica_url.empty()) {
        pg::Settings s = ctx.pg_settings();
        s.url = o.replica_url;
        replica = std::make_unique<pg::Connection>(s);
        set_at(*replica, o.at);
    }
    set_at(primary, o.at);
    Environment primary_env{ctx, primary, primary, o};
    Environment read_env{ctx, replica ? *replica : primary, primary, o};

    std::vector<Outcome> outcomes;
    Progress progress("doctor", checks.size(), "checks");
    for (const Check* c : checks) {
        progress.set_label("doctor: " + c->name);
        auto t = std::chrono::steady_clock::now();
        Outcome out{c, c->run(c->needs_primary ? primary_env : read_env), 0};
        out.duration_ms = ms_since(t);
        outcomes.push_back(std::move(out));
        progress.advance();
    }
    progress.finish();
    double total_ms = ms_since(started);
    bool failed = std::any_of(outcomes.begin(), outcomes.end(), [](const Outcome& x) { return x.failed(); });

    std::ostringstream text;
    if (format == "json") text << render_json(outcomes, total_ms);
    else if (format == "nagios") text << render_nagios(outcomes, total_ms);
    else {
        write_rows(ctx.format(), outcomes, text, o.output_file.empty() && terminal::color_enabled());
        if (format == "table" && !ctx.options().quiet) {
            std::size_t bad = std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& x) { return x.failed(); });
            text << fmt::format("\n{}: {} check(s), {} found problems, in {:.0f}ms{}\n", failed ? "FAIL" : "OK", outcomes.size(), bad,
                                total_ms, failed ? " (spotctl doctor --list says how each is repaired)" : "");
        }
    }
    if (!o.output_file.empty()) write_file_atomically(o.output_file, text.str(), 0644);
    else ctx.out() << text.str() << std::flush;
    return failed ? static_cast<int>(Exit::failure) : 0;
}

int repair(Context& ctx, const RepairOptions& o) {
    const Check& check = find_check(o.check);
    const RepairFunction* fix = find_repair(check.name);
    if (!fix)
        throw Error(Exit::usage, fmt::format("check {} has no safe repair", check.name), "a person decides: " + check.decide);
    if (o.batch_size < 1) throw Error(Exit::usage, "--batch-size must be at least 1");
    set_at(ctx.db(), o.at);
    Options plain;
    plain.at = o.at;
    Environment env{ctx, ctx.db(), ctx.db(), plain};
    auto before = check.run(env);

    using exporters::CellType;
    if (o.dry_run) {
        auto writer = ctx.writer();
        writer->begin({{"check"}, {"would_repair", CellType::integer}, {"sample"}, {"repair"}});
        writer->row({check.name, std::to_string(before.rows), sample_text(before), check.repair});
        writer->end();
        return 0;
    }
    auto report = [&](const Repaired& done, std::uint64_t left, const std::string& note) {
        auto writer = ctx.writer();
        writer->begin({{"check"}, {"repaired", CellType::integer}, {"batches", CellType::integer}, {"left", CellType::integer}, {"note"}});
        writer->row({check.name, std::to_string(done.rows), std::to_string(done.batches), std::to_string(left), note});
        writer->end();
    };
    if (before.rows == 0) {
        report({}, 0, "nothing to repair");
        return 0;
    }
    ctx.confirm(fmt::format("{}: {} row(s) found; {}. Go on?", check.name, before.rows, check.repair), o.yes);
    RepairRun run{ctx, ctx.db(), o};
    Repaired done = (*fix)(run);
    auto after = check.run(env);
    std::string note = done.note;
    if (!done.left.empty())
        note = fmt::format("could not repair: {}{}{}", sample_text(finding_of(done.left)), note.empty() ? "" : "; ", note);
    report(done, after.rows, note);
    return after.rows > 0 ? static_cast<int>(Exit::failure) : 0;
}

}  // namespace spotctl::doctor
