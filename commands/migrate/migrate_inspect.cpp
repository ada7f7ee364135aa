// migrate status, validate, lint and new: the subcommands that only read (or add files).
#include <fmt/format.h>
#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "commands/migrate/backfill.hpp"
#include "commands/migrate/lint.hpp"
#include "commands/migrate/lint_big_tables.hpp"
#include "commands/migrate/migrate.hpp"
#include "commands/migrate/session.hpp"
#include "core/atomic_file.hpp"
#include "core/sql_splitter.hpp"

namespace spotctl::migrate {

using exporters::CellType;

int status(Context& ctx, const Options& o, bool check) {
    Session s = Session::open(ctx, o, false, false);
    auto writer = ctx.writer();
    writer->begin({{"version", CellType::integer},
                   {"name"},
                   {"status"},
                   {"applied_at", CellType::timestamp},
                   {"execution_ms", CellType::integer},
                   {"detail"}});
    std::vector<std::string> dirty_lines;
    std::optional<bool> migrate_running;  // asked once, when a backfill needs it
    for (const auto& e : s.entries) {
        std::string detail;
        if (e.state == State::pending && e.file->up.batch) {
            if (!migrate_running) {
                auto holders = current_job_locks(ctx.db());
                migrate_running = std::any_of(holders.begin(), holders.end(), [](const LockHolder& h) { return h.job == "migrate"; });
            }
            detail = backfill_progress(ctx.db(), e.version, *migrate_running).value_or("runs in batches");
        }
        if (e.state == State::changed) detail = "file changed since it was applied";
        else if (e.state == State::missing) detail = "applied, but the file is missing from disk";
        else if (e.state == State::pending && e.file->up.no_transaction && !e.file->up.batch) detail = "runs outside a transaction";
        else if (e.applied && e.applied->baseline) detail = "baseline (recorded, not run)";
        if (e.state == State::dirty) {
            auto lines = explain_dirty(ctx, e);
            detail = lines.front();
            dirty_lines.insert(dirty_lines.end(), lines.begin(), lines.end());
        }
        std::string name = e.file ? e.file->name : (e.applied ? e.applied->name : "");
        writer->row({std::to_string(e.version), name, std::string(state_name(e.state)),
                     e.applied ? exporters::Cell(e.applied->applied_at) : std::nullopt,
                     e.applied ? exporters::Cell(std::to_string(e.applied->execution_ms)) : std::nullopt,
                     detail.empty() ? std::nullopt : exporters::Cell(detail)});
    }
    writer->end();
    if (ctx.format() == exporters::Format::table) {
        std::size_t pending = std::count_if(s.entries.begin(), s.entries.end(), [](const Entry& e) { return e.state == State::pending; });
        if (!ctx.options().quiet) {
            ctx.out() << fmt::format("\n{} applied, {} pending", s.applied.size(), pending);
            if (s.entries.empty()) ctx.out() << " (no migrations found)";
            ctx.out() << '\n';
        }
        for (const auto& line : dirty_lines) ctx.out() << line << '\n';
    }
    return check && needs_attention(s.entries) ? static_cast<int>(Exit::failure) : 0;
}

int validate(Context& ctx, const Options& o, bool offline) {
    std::vector<std::string> problems;
    auto files = load_migrations(resolve_migrations_dir(o.dir));
    // An up-only history (common in long-lived golang-migrate projects) is valid; once a
    // directory has down files, one missing is an oversight. dbmate files may leave down empty.
    bool has_down_files = std::any_of(files.begin(), files.end(), [](const MigrationFile& f) {
        return f.format == FileFormat::paired && f.down;
    });
    for (const auto& f : files) {
        std::vector<const Script*> scripts = {&f.up};
        if (f.down) scripts.push_back(&*f.down);
        else if (has_down_files && f.format == FileFormat::paired)
            problems.push_back(fmt::format("{}: no down file ({}.down.sql)", f.up.path.string(), f.label()));
        for (const Script* script : scripts) {
            try {
                // Padded to where the script starts in its file (a dbmate section), so that the
                // splitter's "line N" is the file's line.
                std::string text = std::string(static_cast<std::size_t>(script->first_line - 1), '\n') + script->sql;
                if (sql::split(text).empty()) problems.push_back(fmt::format("{}: contains no SQL statement", script->path.string()));
            } catch (const Error& e) {
                problems.push_back(fmt::format("{}: {}", script->path.string(), e.what()));
            }
        }
    }
    if (!offline) {
        auto applied = read_state(ctx.db());
        for (const auto& e : compare(files, applied)) {
            if (e.state == State::changed)
                problems.push_back(fmt::format("{}: changed since it was applied", e.file->up.path.string()));
            else if (e.state == State::missing)
                problems.push_back(fmt::format("{}: applied but missing from the migrations directory", e.label));
            else if (e.state == State::dirty)
                problems.push_back(fmt::format("{}: dirty (failed part-way)", e.label));
        }
    }
    for (const auto& p : problems) ctx.out() << p << '\n';
    if (!problems.empty())
        throw Error(Exit::data, fmt::format("{} problem(s) found in {} migration(s)", problems.size(), files.size()));
    if (!ctx.options().quiet) ctx.out() << fmt::format("{} migration(s) valid\n", files.size());
    return 0;
}

int lint(Context& ctx, const Options& o, const std::vector<std::string>& paths, bool check, long long big_table_rows) {
    std::vector<Script> scripts;
    if (paths.empty()) {
        for (auto& f : load_migrations(resolve_migrations_dir(o.dir))) scripts.push_back(std::move(f.up));
    } else {
        for (const auto& p : paths) {
            std::ifstream in(p, std::ios::binary);
            if (!in) throw Error(Exit::usage, fmt::format("cannot read '{}'", p));
            std::ostringstream text;
            text << in.rdbuf();
            scripts.push_back({p, text.str(), is_no_transaction(text.str()), 1, parse_batch_directive(text.str(), p)});
        }
    }
    auto writer = ctx.format() == exporters::Format::table ? nullptr : ctx.writer();
    if (writer) writer->begin({{"file"}, {"line", CellType::integer}, {"rule"}, {"message"}, {"hint"}});
    std::size_t count = 0;
    for (const auto& script : scripts) {
        auto findings = migrate::lint(script.sql, script.no_transaction);
        // The one rule that reads the database, when one is configured: lint stays usable offline.
        if (!ctx.options().database_url.empty() && !script.batch) {
            auto big = lint_big_tables(ctx.db(), script.sql, big_table_rows);
            findings.insert(findings.end(), big.begin(), big.end());
            std::stable_sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) { return a.line < b.line; });
        }
        for (const auto& finding : findings) {
            ++count;
            if (writer) {
                writer->row({script.path.string(), std::to_string(script.first_line + finding.line - 1), finding.rule,
                             finding.message, finding.hint});
            } else {
                ctx.out() << fmt::format("{}: {}: {}\n", script.location(finding.line), finding.rule, finding.message);
                if (!finding.hint.empty()) ctx.out() << "    hint: " << finding.hint << '\n';
            }
        }
    }
    if (writer) writer->end();
    else if (!ctx.options().quiet) ctx.out() << fmt::format("{} finding(s) in {} file(s)\n", count, scripts.size());
    return check && count > 0 ? static_cast<int>(Exit::failure) : 0;
}

namespace {
// In a directory of dbmate files, the next migration is one more of them.
int create_dbmate(Context& ctx, const std::filesystem::path& dir, const std::string& label, bool no_transaction) {
    const char* option = no_transaction ? " transaction:false" : "";
    auto path = dir / (label + ".sql");
    AtomicFile file(path);
    file.write(fmt::format("-- migrate:up{}\n\n\n-- migrate:down{}\n\n", option, option));
    file.commit_new();
    ctx.out() << path.string() << '\n';
    return 0;
}
}  // namespace

int create(Context& ctx, const Options& o, const std::string& name, bool no_transaction) {
    static const std::regex valid(R"(^[a-z0-9][a-z0-9_]*$)");
    if (!std::regex_match(name, valid))
        throw Error(Exit::usage, fmt::format("invalid migration name '{}'", name),
                    "use lower-case letters, digits and underscores, such as add_charger_rating");
    auto dir = resolve_migrations_dir(o.dir);
    std::filesystem::create_directories(dir);
    auto files = load_migrations(dir);
    long long next = files.empty() ? 1 : files.back().version + 1;
    std::size_t width = files.empty() ? 4 : std::max<std::size_t>(4, files.back().version_text.size());
    std::string version = fmt::format("{:0{}}", next, width);
    if (!files.empty() && files.back().format == FileFormat::dbmate) return create_dbmate(ctx, dir, version + "_" + name, no_transaction);
    std::string header = no_transaction ? std::string(no_transaction_marker) + "\n" : "";
    std::string up_text = header + "-- " + name + ": what this migration does and why.\n" +
                          (no_transaction ? "-- Runs outside a transaction, statement by statement "
                                            "(for CREATE INDEX CONCURRENTLY).\n"
                                          : "-- Runs in one transaction with its state row.\n");
    std::string down_text = header + "-- Reverts " + version + "_" + name + ".\n";
    auto up_path = dir / (version + "_" + name + ".up.sql");
    auto down_path = dir / (version + "_" + name + ".down.sql");
    AtomicFile up_file(up_path);
    up_file.write(up_text);
    up_file.commit_new();
    AtomicFile down_file(down_path);
    down_file.write(down_text);
    down_file.commit_new();
    ctx.out() << up_path.string() << '\n' << down_path.string() << '\n';
    return 0;
}

}  // namespace spotctl::migrate
