#include "commands/doctor/cli_doctor.hpp"

#include <memory>

#include "cli/actor_option.hpp"
#include "commands/doctor/checks.hpp"
#include "commands/doctor/doctor.hpp"

namespace spotctl::cli {
namespace {
struct DoctorFlags {
    doctor::Options run;
    doctor::RepairOptions repair;
    bool list = false;
};
}  // namespace

void define_doctor(CommandBuilder& builder) {
    auto f = std::make_shared<DoctorFlags>();
    CLI::App& app = builder.app();
    std::string names;
    for (const auto& c : doctor::all_checks()) names += (names.empty() ? "" : ", ") + c.name;
    app.add_flag("--list", f->list, "Describe every check and its repair, and exit");
    app.add_option("--check", f->run.only, "Run only this check (repeatable): " + names)->type_name("NAME");
    app.add_option("--skip", f->run.skip, "Do not run this check (repeatable)")->type_name("NAME");
    builder.setting(app.add_option("--replica-url", f->run.replica_url,
                                   "Run the read-only checks on this replica (schema_drift and btree_corruption stay on the primary)"),
                    "SPOTCTL_REPLICA_URL", "doctor.replica_url");
    builder.setting(app.add_option("--migrations-dir", f->run.migrations_dir,
                                   "Migrations schema_drift compares with (default: ./migrations, then the installed copy)"),
                    "SPOTCTL_MIGRATIONS_DIR", "migrate.dir");
    builder.setting(app.add_option("--amcheck-indexes", f->run.amcheck_indexes, "How many of the largest B-tree indexes btree_corruption reads")
                        ->check(CLI::Range(1, 100000))
                        ->default_str("20"),
                    "", "doctor.amcheck_indexes");
    app.add_option("--at", f->run.at,
                   "Judge ended suspensions, stale claims and expired sessions as of this time, not now (the demo data's clock: "
                   "2026-11-19T12:00:00Z)")
        ->type_name("TIME");
    app.add_option("--output-file", f->run.output_file,
                   "Write the report here atomically instead of to stdout (a passive check's file for -o nagios)");
    app.add_option("--repair", f->repair.check, "Repair what this check finds, in audited batches")->type_name("NAME");
    app.add_flag("--dry-run", f->repair.dry_run, "With --repair: show what would be repaired, change nothing");
    app.add_flag("--yes", f->repair.yes, "With --repair: do not ask for confirmation");
    app.add_option("--batch-size", f->repair.batch_size, "With --repair: rows (or keys) per transaction and audit row")
        ->check(CLI::Range(1L, 100000L))
        ->default_str("500");
    actor_option(builder, f->repair.actor_email);
    builder.job_metrics("doctor.metrics_file");
    builder.output_formats({"table", "json", "csv", "nagios"});
    builder.action([f](Context& ctx) {
        ctx.job().dry_run = f->repair.dry_run;
        if (f->list) return doctor::list(ctx);
        if (!f->repair.check.empty()) {
            if (!f->run.only.empty() || !f->run.skip.empty())
                throw Error(Exit::usage, "--repair takes one check; --check and --skip are for a run of checks");
            f->repair.at = f->run.at;
            return doctor::repair(ctx, f->repair);
        }
        if (f->repair.dry_run || f->repair.yes) throw Error(Exit::usage, "--dry-run and --yes go with --repair NAME");
        return doctor::run(ctx, f->run);
    });
    builder.examples(
        "  spotctl doctor --list\n"
        "  spotctl doctor --check ledger_balance --check ledger_chain --check ledger_negative\n"
        "  spotctl doctor --check ledger_balance --check trust_scores -o json\n"
        "  spotctl doctor --at 2026-11-19T12:00:00Z --check expired_suspensions     # the demo data's clock\n"
        "  spotctl doctor -o nagios --output-file /var/lib/spotctl/doctor.nagios || [ $? -eq 1 ]   # monitoring\n"
        "  spotctl doctor --repair expired_suspensions --dry-run\n"
        "  spotctl doctor --repair stale_claims --yes --as admin@spot.example\n"
        "Exit codes: 0 every check passed, 1 a check found a problem (or a repair left rows), 64 usage (an unknown\n"
        "check name lists the known ones), 69 PostgreSQL or Redis unavailable, 77 not permitted.");
}

}  // namespace spotctl::cli
