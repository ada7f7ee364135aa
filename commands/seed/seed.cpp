#include "commands/seed/seed.hpp"

#include <fmt/format.h>

#include "commands/seed/catalog.hpp"
#include "rulebook/environment_guard.hpp"
#include "core/job_lock.hpp"

namespace spotctl::seed {

using exporters::CellType;

int load(Context& ctx, const LoadOptions& options) {
    auto results = load_fixtures(ctx, options);
    auto writer = ctx.writer();
    writer->begin({{"table"}, {"rows", CellType::integer}, {"inserted", CellType::integer}, {"updated", CellType::integer},
                   {"skipped", CellType::integer}});
    long long rows = 0, inserted = 0;
    for (const auto& r : results) {
        writer->row({r.table, std::to_string(r.rows), std::to_string(r.inserted), std::to_string(r.updated), std::to_string(r.skipped)});
        rows += r.rows;
        inserted += r.inserted;
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << fmt::format("\n{} rows read from {} file(s), {} inserted{}\n", rows, results.size(), inserted,
                                 options.dry_run ? " (dry run: rolled back)" : "");
    return 0;
}

int reset(Context& ctx, bool yes, bool allow_production) {
    auto& db = ctx.db();
    rulebook::refuse_production(db, "reset", allow_production);
    auto tables = tables_in_dependency_order(db);
    auto name = db.exec("SELECT current_database() AS name")[0].str("name");
    ctx.confirm(fmt::format("Delete every row of the {} platform tables in database '{}'?", tables.size(), name), yes);
    auto lock = JobLock::acquire(ctx.pg_settings(), "seed", Millis(0));
    auto tx = db.begin();
    std::string list;
    for (const auto& t : tables) list += (list.empty() ? "" : ", ") + tx.quote_name(t);
    if (!list.empty()) {
        // Append-only tables refuse TRUNCATE through triggers; a reset of a non-production
        // database is the one deliberate exception, undone by the same transaction.
        for (const auto& t : tables) tx.exec(fmt::format("ALTER TABLE {} DISABLE TRIGGER USER", tx.quote_name(t)));
        tx.exec(fmt::format("TRUNCATE {} RESTART IDENTITY", list));
        for (const auto& t : tables) tx.exec(fmt::format("ALTER TABLE {} ENABLE TRIGGER USER", tx.quote_name(t)));
    }
    tx.exec("DROP TABLE IF EXISTS spotctl_seed_truth");
    lock.verify();
    tx.commit();
    if (!ctx.options().quiet) ctx.out() << fmt::format("emptied {} tables in database '{}'\n", tables.size(), name);
    return 0;
}

int mark(Context& ctx, const std::string& environment, bool allow_production) {
    rulebook::check_environment_name(environment);
    auto& db = ctx.db();
    // Unmarking production is as dangerous as what the mark protects against.
    if (environment != "production") rulebook::refuse_production(db, "re-mark", allow_production);
    rulebook::write_environment(db, environment, ctx.command());
    if (!ctx.options().quiet) ctx.out() << fmt::format("database marked as {}\n", environment);
    return 0;
}

int show_environment(Context& ctx) {
    auto env = rulebook::read_environment(ctx.db());
    ctx.out() << env.value_or("unmarked") << '\n';
    return 0;
}

}  // namespace spotctl::seed
