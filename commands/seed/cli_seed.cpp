#include "commands/seed/cli_seed.hpp"

#include <memory>

#include "commands/seed/generate.hpp"
#include "commands/seed/seed.hpp"

namespace spotctl::cli {
namespace {
struct SeedFlags {
    std::string dir;
    std::vector<std::string> only;
    std::string on_conflict = "skip";
    std::string environment;
    seed::GenerateOptions generate;
    bool allow_production = false;
    bool dry_run = false;
    bool yes = false;
};
}  // namespace

void define_seed(CommandBuilder& builder) {
    auto f = std::make_shared<SeedFlags>();
    CLI::App& app = builder.app();
    app.require_subcommand(1);
    app.add_flag("--allow-production", f->allow_production, "Allow seeding or resetting a database marked as production");
    builder.examples(
        "  spotctl seed load                      # the demo data set in ./seeds\n"
        "  spotctl seed load --only users,chargers --on-conflict update\n"
        "  spotctl seed reset --yes\n"
        "  spotctl seed mark --environment production");

    auto load = builder.subcommand("load", "Load fixture CSV files (one per table) in foreign-key order, in one transaction");
    builder.setting(load.app().add_option("--dir", f->dir, "Fixtures directory (default: ./seeds, then the installed copy)"),
                    "SPOTCTL_SEEDS_DIR", "seed.dir");
    load.app().add_option("--only", f->only, "Load only these tables")->delimiter(',');
    load.app()
        .add_option("--on-conflict", f->on_conflict, "Rows whose key exists already: skip, update or error")
        ->check(CLI::IsMember({"skip", "update", "error"}))
        ->default_str("skip");
    load.app().add_flag("--dry-run", f->dry_run, "Load and check everything, then roll back");
    load.action([f](Context& ctx) {
        seed::LoadOptions o;
        o.dir = seed::resolve_seeds_dir(f->dir);
        o.only = f->only;
        o.on_conflict = seed::parse_on_conflict(f->on_conflict);
        o.allow_production = f->allow_production;
        o.dry_run = f->dry_run;
        return seed::load(ctx, o);
    });
    load.examples("  spotctl seed load\n  spotctl seed load --dir staging-fixtures --on-conflict update   # illustrative: needs your fixtures\n"
                  "  spotctl seed load --dry-run");

    auto gen = builder.subcommand("generate", "Deterministic synthetic data for the whole schema, with labelled fraud");
    gen.app().add_option("--scale", f->generate.scale, "1 is about a thousand users; 100 about 100k users and 10M logins")
        ->check(CLI::Range(1, 100000))
        ->default_str("1");
    gen.app().add_option("--seed", f->generate.seed, "The same seed and scale give identical tables")->default_str("1");
    gen.app().add_option("--anchor", f->generate.anchor, "End of the 90-day activity window: a date, or now")->default_str("2026-11-01");
    gen.app().add_option("--only", f->generate.only, "Generate only these tables")->delimiter(',');
    gen.action([f](Context& ctx) {
        f->generate.allow_production = f->allow_production;
        return seed::generate(ctx, f->generate);
    });
    gen.examples("  spotctl seed generate --scale 10\n  spotctl seed reset --yes && spotctl seed generate --scale 1 --seed 42 --anchor now   # another data set instead\n"
                 "  spotctl seed generate --scale 100 --only login_attempts   # illustrative: 10 million rows, after a full run with the same seed");

    auto reset = builder.subcommand("reset", "Empty every platform table (asks, or needs --yes)");
    reset.app().add_flag("-y,--yes", f->yes, "Do not ask for confirmation");
    reset.action([f](Context& ctx) { return seed::reset(ctx, f->yes, f->allow_production); });
    reset.examples("  spotctl seed reset --yes");

    auto mark = builder.subcommand("mark", "Record which kind of database this is; seeding refuses production");
    mark.app()
        .add_option("--environment", f->environment, "production, staging or development")
        ->required()
        ->check(CLI::IsMember({"production", "staging", "development"}));
    mark.action([f](Context& ctx) { return seed::mark(ctx, f->environment, f->allow_production); });
    mark.examples("  spotctl seed mark --environment production");

    auto env = builder.subcommand("environment", "Print how the database is marked (production, staging, development, unmarked)");
    env.action([](Context& ctx) { return seed::show_environment(ctx); });
}

}  // namespace spotctl::cli
