#include "commands/migrate/cli_migrate.hpp"

#include <memory>

#include "cli/validators.hpp"
#include "commands/migrate/migrate.hpp"

namespace spotctl::cli {
namespace {

struct MigrateFlags {
    std::string dir;
    std::string lock_wait = "30s";
    std::string ddl_lock_timeout = "10s";
    std::string statement_timeout = "0s";
    int lock_retries = 5;
    std::string lock_retry_base = "500ms";
    std::optional<long long> to;
    std::optional<int> steps;
    std::optional<long long> baseline_version;
    std::string baseline_from;
    bool dry_run = false;
    bool yes = false;
    bool check = false;
    bool offline = false;
    bool no_transaction = false;
    std::string name;
    std::vector<std::string> files;
    long long big_table_rows = 100000;

    migrate::Options options() const {
        migrate::Options o;
        o.dir = dir;
        o.lock_wait = parse_duration(lock_wait, "--lock-timeout");
        o.ddl_lock_timeout = parse_duration(ddl_lock_timeout, "--ddl-lock-timeout");
        o.statement_timeout = parse_duration(statement_timeout, "--statement-timeout");
        o.lock_retries = lock_retries;
        o.lock_retry_base = parse_duration(lock_retry_base, "--lock-retry-base");
        return o;
    }
};

}  // namespace

void define_migrate(CommandBuilder& builder) {
    auto f = std::make_shared<MigrateFlags>();
    CLI::App& app = builder.app();
    app.require_subcommand(1);
    builder.setting(app.add_option("--dir", f->dir, "Migrations directory (default: ./migrations, then the installed copy)"),
                    "SPOTCTL_MIGRATIONS_DIR", "migrate.dir");
    builder.setting(app.add_option("--lock-timeout", f->lock_wait,
                                   "How long to wait for another migrate run's lock before exiting 75")
                        ->check(duration_value())
                        ->default_str("30s"),
                    "", "migrate.lock_timeout");
    builder.setting(app.add_option("--ddl-lock-timeout", f->ddl_lock_timeout,
                                   "PostgreSQL lock_timeout for each migration's statements (0 disables)")
                        ->check(duration_value())
                        ->default_str("10s"),
                    "", "migrate.ddl_lock_timeout");
    builder.setting(app.add_option("--statement-timeout", f->statement_timeout,
                                   "PostgreSQL statement_timeout for each migration's statements (0 disables)")
                        ->check(duration_value())
                        ->default_str("0s"),
                    "", "migrate.statement_timeout");
    builder.setting(app.add_option("--lock-retries", f->lock_retries,
                                   "Retry a transactional migration cancelled by --ddl-lock-timeout this many times, "
                                   "logging who held the lock (0 disables)")
                        ->check(CLI::Range(0, 100))
                        ->default_str("5"),
                    "", "migrate.lock_retries");
    builder.setting(app.add_option("--lock-retry-base", f->lock_retry_base,
                                   "Wait before the first lock retry; doubles with each retry, with jitter")
                        ->check(duration_value())
                        ->default_str("500ms"),
                    "", "migrate.lock_retry_base");
    builder.examples(
        "  spotctl migrate status\n"
        "  spotctl migrate up --dry-run\n"
        "  spotctl migrate up --wait-for-db 30s        # in CI, beside a starting database\n"
        "  spotctl migrate up --ddl-lock-timeout 2s --lock-retries 8\n"
        "  spotctl migrate down --steps 1 --yes\n"
        "  spotctl migrate new add_charger_rating\n"
        "  spotctl migrate lint --check");

    auto status = builder.subcommand("status", "Show applied, pending, changed, missing and dirty migrations");
    status.app().add_flag("--check", f->check, "Exit 1 when anything is pending, changed, missing or dirty (for CI)");
    status.action([f](Context& ctx) { return migrate::status(ctx, f->options(), f->check); });
    status.examples("  spotctl migrate status\n  spotctl migrate status --check -o json");

    auto up = builder.subcommand("up", "Apply pending migrations in version order");
    up.app().add_option("--to", f->to, "Stop after this version");
    up.app().add_flag("--dry-run", f->dry_run, "Show what would be applied; change nothing");
    up.job_metrics("migrate.metrics_file");
    up.action([f](Context& ctx) {
        ctx.job().dry_run = f->dry_run;
        return migrate::up(ctx, f->options(), f->to, f->dry_run);
    });
    up.examples("  spotctl migrate up\n  spotctl migrate up --to 0004 --dry-run\n"
                "  spotctl --log-format json migrate up --metrics-file migrate.prom   # for log shippers and node_exporter");

    auto down = builder.subcommand("down", "Revert applied migrations, newest first (asks, or needs --yes)");
    auto steps = down.app().add_option("--steps", f->steps, "How many to revert (default 1)");
    down.app().add_option("--to", f->to, "Revert every migration above this version (0 reverts all)")->excludes(steps);
    down.app().add_flag("--dry-run", f->dry_run, "Show what would be reverted; change nothing");
    down.app().add_flag("-y,--yes", f->yes, "Do not ask for confirmation");
    down.action([f](Context& ctx) { return migrate::down(ctx, f->options(), f->steps, f->to, f->dry_run, f->yes); });
    down.examples("  spotctl migrate down --steps 2 --yes\n  spotctl migrate down --to 0003 --dry-run");

    auto validate = builder.subcommand("validate", "Check the files (names, pairs, SQL) and the checksums of applied ones");
    validate.app().add_flag("--offline", f->offline, "Check the files only; do not connect to the database");
    validate.action([f](Context& ctx) { return migrate::validate(ctx, f->options(), f->offline); });
    validate.examples("  spotctl migrate validate\n  spotctl migrate validate --offline --dir migrations\n"
                      "  spotctl migrate validate --offline --dir tests/fixtures/golang-migrate-history   # up files only\n"
                      "  spotctl migrate validate --offline --dir tests/fixtures/dbmate-history           # dbmate's format");

    auto baseline = builder.subcommand("baseline", "Adopt an existing database: record migrations up to a version as applied");
    auto version = baseline.app().add_option("--version", f->baseline_version, "The version the database already has");
    baseline.app()
        .add_option("--from", f->baseline_from,
                    "Take the applied versions from the schema_migrations table of golang-migrate or dbmate")
        ->check(CLI::IsMember({"golang-migrate", "dbmate"}))
        ->excludes(version);
    baseline.action([f](Context& ctx) { return migrate::baseline(ctx, f->options(), f->baseline_version, f->baseline_from); });
    baseline.examples("  spotctl migrate baseline --version 8   # illustrative: needs a database whose schema was made without spotctl\n"
                      "  spotctl migrate baseline --from golang-migrate --dir db/migrations   # illustrative: a golang-migrate project\n"
                      "  spotctl migrate baseline --from dbmate --dir db/migrations           # illustrative: a dbmate project");

    auto repair = builder.subcommand("repair", "Clear a dirty mark (dropping INVALID indexes it left) or accept changed checksums");
    repair.app().add_flag("--dry-run", f->dry_run, "Show what would be repaired; change nothing");
    repair.app().add_flag("-y,--yes", f->yes, "Do not ask for confirmation");
    repair.action([f](Context& ctx) { return migrate::repair(ctx, f->options(), f->dry_run, f->yes); });
    repair.examples("  spotctl migrate repair --dry-run\n  spotctl migrate repair --yes");

    auto create = builder.subcommand("new", "Create the next pair of migration files");
    create.app().add_option("name", f->name, "Name, such as add_charger_rating")->required();
    create.app().add_flag("--no-transaction", f->no_transaction, "Mark the files to run outside a transaction");
    create.action([f](Context& ctx) { return migrate::create(ctx, f->options(), f->name, f->no_transaction); });
    create.examples("  spotctl migrate new add_charger_rating\n  spotctl migrate new index_payments_created_at --no-transaction");

    auto lint = builder.subcommand("lint", "Warn about DDL that takes heavy locks on big tables");
    lint.app().add_option("files", f->files, "Files to lint (default: every up file in the migrations directory)");
    lint.app().add_flag("--check", f->check, "Exit 1 when anything is found (for CI)");
    lint.app()
        .add_option("--big-table-rows", f->big_table_rows,
                    "With a database configured: flag an UPDATE or DELETE outside a batched migration on a table "
                    "estimated above N rows")
        ->check(CLI::Range(0LL, 1'000'000'000'000LL))
        ->default_str("100000");
    lint.action([f](Context& ctx) { return migrate::lint(ctx, f->options(), f->files, f->check, f->big_table_rows); });
    lint.examples("  spotctl migrate lint\n  spotctl migrate lint --check migrations/0010_fraud_indexes.up.sql");
}

}  // namespace spotctl::cli
