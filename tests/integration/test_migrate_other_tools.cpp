// spotctl migrate on material other tools wrote: a long-lived golang-migrate history (up files
// only, dotted and timestamp versions), dbmate's one-file format, and databases those tools
// migrated, adopted with `baseline --from`.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "core/sha256.hpp"
#include "support/harness.hpp"
#include "support/migrate_cli.hpp"

using namespace spotctl;
using namespace spotctl::test;
namespace fs = std::filesystem;

namespace {

const std::string golang_history = std::string(SPOTCTL_SOURCE_DIR) + "/tests/fixtures/golang-migrate-history";
const std::string dbmate_history = std::string(SPOTCTL_SOURCE_DIR) + "/tests/fixtures/dbmate-history";

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The history's files in golang-migrate's order: by the number before the first '_'.
std::vector<fs::path> history_files() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(golang_history)) files.push_back(e.path());
    auto version = [](const fs::path& p) { return std::stoll(p.filename().string().substr(0, p.filename().string().find('_'))); };
    std::sort(files.begin(), files.end(), [&](const fs::path& a, const fs::path& b) { return version(a) < version(b); });
    return files;
}

long long version_of(const fs::path& file) { return std::stoll(file.filename().string()); }

long long count(TempDatabase& db, const std::string& sql) { return std::stoll(db.scalar(sql)); }

// golang-migrate's own table, as its PostgreSQL driver creates it before the first migration.
void create_golang_migrate_table(TempDatabase& db) {
    db.conn().exec("CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
}

// golang-migrate's SetVersion: the table holds one row, replaced in a transaction.
void set_golang_migrate_version(TempDatabase& db, long long version, bool dirty) {
    auto tx = db.conn().begin();
    tx.exec("TRUNCATE schema_migrations");
    tx.exec("INSERT INTO schema_migrations (version, dirty) VALUES ($1, $2)", pg::params(version, dirty));
    tx.commit();
}

// Migrates the first `n` files the way `migrate up N` of golang-migrate does: mark dirty, send
// the whole file as one simple-protocol query (one implicit transaction), mark clean.
void golang_migrate_up(TempDatabase& db, const std::vector<fs::path>& files, std::size_t n) {
    create_golang_migrate_table(db);
    for (std::size_t i = 0; i < n; ++i) {
        INFO(files[i].string());
        set_golang_migrate_version(db, version_of(files[i]), true);
        db.conn().exec(read_text(files[i]));
        set_golang_migrate_version(db, version_of(files[i]), false);
    }
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("a 34-file golang-migrate history applied by spotctl gives the schema psql -1 -f gives", "[migrate][other-tools]") {
    auto files = history_files();
    REQUIRE(files.size() == 34);

    TempDatabase by_psql;
    create_golang_migrate_table(by_psql);  // the history alters golang-migrate's table
    for (const auto& f : files) {
        auto r = run_shell(fmt::format("psql -X -q -v ON_ERROR_STOP=1 -1 -f {} '{}' 2>&1", quoted(f), by_psql.url()));
        INFO(f.string() << "\n" << r.out);
        REQUIRE(r.exit_code == 0);
    }

    TempDatabase by_spotctl;
    create_golang_migrate_table(by_spotctl);
    auto up = run_migrate(by_spotctl, {"up"}, golang_history);
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(up.out.find("applied 0002_1.7.0_schema (") != std::string::npos);
    REQUIRE(up.out.find("applied 0008_données_clients (") != std::string::npos);
    REQUIRE(up.out.find("applied 20241201000000_3.9.0_final-cleanup (") != std::string::npos);
    REQUIRE(count(by_spotctl, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") == 34);

    std::string expected = schema_dump(by_psql);
    REQUIRE(expected.find("CREATE FUNCTION public.ensure_usage_partition") != std::string::npos);
    REQUIRE(expected.find("COMMENT ON COLUMN public.schema_migrations.applied_at") != std::string::npos);
    REQUIRE(schema_dump(by_spotctl, "spotctl_schema_migrations") == expected);

    auto status = run_migrate(by_spotctl, {"status", "--check"}, golang_history);
    INFO(status.out);
    REQUIRE(status.exit_code == 0);
    REQUIRE(status.out.find("34 applied, 0 pending") != std::string::npos);
    auto validate = run_migrate(by_spotctl, {"validate"}, golang_history);
    INFO(validate.out);
    REQUIRE(validate.exit_code == 0);
    REQUIRE(validate.out == "34 migration(s) valid\n");

    // No down files: down names the one it would need and changes nothing.
    auto down = run_migrate(by_spotctl, {"down", "--yes"}, golang_history);
    REQUIRE(down.exit_code == 65);
    REQUIRE(down.err.find(fmt::format("cannot revert 20241201000000_3.9.0_final-cleanup: {}/20241201000000_3.9.0_final-cleanup"
                                      ".down.sql does not exist; nothing reverted",
                                      golang_history)) != std::string::npos);
    REQUIRE(count(by_spotctl, "SELECT count(*) FROM spotctl_schema_migrations") == 34);
    REQUIRE(schema_dump(by_spotctl, "spotctl_schema_migrations") == expected);
}

TEST_CASE("a database golang-migrate took halfway is adopted with baseline --from golang-migrate and brought up to date",
          "[migrate][other-tools]") {
    auto files = history_files();
    TempDatabase reference;
    golang_migrate_up(reference, files, files.size());

    TempDatabase db;
    golang_migrate_up(db, files, 17);  // 0001 .. 0017_2.1.0_api-tokens, past 0014 that alters golang-migrate's table
    auto baseline = run_migrate(db, {"baseline", "--from", "golang-migrate"}, golang_history);
    INFO(baseline.err);
    REQUIRE(baseline.exit_code == 0);
    REQUIRE(baseline.out ==
            "baselined from golang-migrate's schema_migrations at 0017_2.1.0_api-tokens: 17 migration(s) recorded as applied "
            "without running them; its table is left in place\n");
    REQUIRE(db.scalar("SELECT count(*) || ':' || bool_and(baseline) || ':' || max(version) FROM spotctl_schema_migrations") ==
            "17:true:17");
    REQUIRE(db.scalar("SELECT checksum FROM spotctl_schema_migrations WHERE version = 5") ==
            sha256_hex(read_text(fs::path(golang_history) / "0005_add invoice totals.up.sql")));

    auto up = run_migrate(db, {"up"}, golang_history);
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(up.out.find("applied 0017_") == std::string::npos);
    REQUIRE(up.out.find("applied 0018_rename_title (") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT baseline") == 17);
    REQUIRE(schema_dump(db, "spotctl_schema_migrations") == schema_dump(reference));
    // golang-migrate's table stays as golang-migrate left it.
    REQUIRE(db.scalar("SELECT version || ':' || dirty FROM schema_migrations") == "17:false");
}

TEST_CASE("baseline --from golang-migrate refuses a dirty state, records nothing, and names what to do",
          "[migrate][other-tools]") {
    auto files = history_files();
    TempDatabase db;
    golang_migrate_up(db, files, 5);
    set_golang_migrate_version(db, 6, true);  // 0006 failed part-way under golang-migrate
    auto r = run_migrate(db, {"baseline", "--from", "golang-migrate"}, golang_history);
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find("golang-migrate's state is dirty at version 6: that migration failed part-way; nothing recorded") !=
            std::string::npos);
    REQUIRE(r.err.find("'migrate force 6'") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 0);
    REQUIRE(db.scalar("SELECT version || ':' || dirty FROM schema_migrations") == "6:true");

    set_golang_migrate_version(db, 99, false);  // a version the directory does not have
    auto unknown = run_migrate(db, {"baseline", "--from", "golang-migrate"}, golang_history);
    REQUIRE(unknown.exit_code == 65);
    REQUIRE(unknown.err.find("golang-migrate recorded version 99 in schema_migrations, but no migration file has that version") !=
            std::string::npos);
    auto wrong_tool = run_migrate(db, {"baseline", "--from", "dbmate"}, golang_history);
    REQUIRE(wrong_tool.exit_code == 65);
    REQUIRE(wrong_tool.err.find("schema_migrations has a dirty column: it is golang-migrate's table, not dbmate's") !=
            std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 0);

    TempDatabase fresh;
    auto none = run_migrate(fresh, {"baseline", "--from", "golang-migrate"}, golang_history);
    REQUIRE(none.exit_code == 65);
    REQUIRE(none.err.find("no schema_migrations table in this database: golang-migrate has not migrated it") != std::string::npos);
    auto neither = run_migrate(fresh, {"baseline"}, golang_history);
    REQUIRE(neither.exit_code == 64);
    REQUIRE(neither.err.find("give either --version or --from") != std::string::npos);
}

TEST_CASE("baseline --from dbmate records dbmate's rows, gaps included, and up runs the rest", "[migrate][other-tools]") {
    TempDatabase db;
    // dbmate applied the first and third migrations (its up sections), not the second.
    db.conn().exec("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)");
    db.conn().exec(
        "CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());"
        "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), cents bigint NOT NULL);"
        "INSERT INTO schema_migrations VALUES ('20240101120000'), ('20240103100000')");
    auto baseline = run_migrate(db, {"baseline", "--from", "dbmate"}, dbmate_history);
    INFO(baseline.err);
    REQUIRE(baseline.exit_code == 0);
    REQUIRE(baseline.out.find("baselined from dbmate's schema_migrations at 20240103100000_orders: 2 migration(s) recorded") !=
            std::string::npos);
    REQUIRE(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM spotctl_schema_migrations") ==
            "20240101120000,20240103100000");
    auto up = run_migrate(db, {"up"}, dbmate_history);
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(up.out.find("applied 20240102090000_customers_created_at_index (") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                      "WHERE c.relname = 'customers_created_at' AND i.indisvalid") == 1);
    REQUIRE(count(db, "SELECT count(*) FROM schema_migrations") == 2);  // dbmate's table is left alone

    TempDatabase unknown;
    unknown.conn().exec("CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);"
                        "INSERT INTO schema_migrations VALUES ('20240101120000'), ('20230101000000')");
    auto r = run_migrate(unknown, {"baseline", "--from", "dbmate"}, dbmate_history);
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find("dbmate recorded version 20230101000000 in schema_migrations, but no migration file has that version") !=
            std::string::npos);
    REQUIRE(count(unknown, "SELECT count(*) FROM spotctl_schema_migrations") == 0);
}

TEST_CASE("dbmate files: up, down and transaction:false sections", "[migrate][other-tools]") {
    TempDatabase db;
    auto up = run_migrate(db, {"up"}, dbmate_history);
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(up.out.find("applied 20240101120000_create_customers (") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") == 3);
    // CREATE INDEX CONCURRENTLY fails inside a transaction block: it ran outside one.
    REQUIRE(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                      "WHERE c.relname = 'customers_created_at' AND i.indisvalid") == 1);
    REQUIRE(db.scalar("SELECT obj_description('customers'::regclass)") == "People who buy; one row each; never deleted");
    std::string after_up = schema_dump(db);
    REQUIRE(run_migrate(db, {"status", "--check"}, dbmate_history).exit_code == 0);
    REQUIRE(run_migrate(db, {"validate"}, dbmate_history).exit_code == 0);

    auto down = run_migrate(db, {"down", "--to", "0", "--yes"}, dbmate_history);
    INFO(down.err);
    REQUIRE(down.exit_code == 0);
    REQUIRE(down.out.find("reverted 20240102090000_customers_created_at_index (") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spotctl_schema_migrations'") == 0);
    REQUIRE(run_migrate(db, {"up"}, dbmate_history).exit_code == 0);
    REQUIRE(schema_dump(db) == after_up);
}

TEST_CASE("a failing dbmate section names the line of the file", "[migrate][other-tools]") {
    TempDatabase db;
    TempDir dir;
    const auto path = dir.write("20240101120000_broken.sql",
                                "-- header comment\n\n-- migrate:up\nCREATE TABLE a (id int);\nCREATE TABLE b (id nosuchtype);\n\n"
                                "-- migrate:down\nDROP TABLE a;\n");
    auto r = run_migrate(db, {"up"}, dir.path().string());
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find(path.string() + ":5: ") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NULL") == "t");
}

TEST_CASE("duplicate versions and orphan down files stop migrate with exit 65 naming the files", "[migrate][other-tools]") {
    TempDatabase db;
    TempDir twice;
    const auto first = twice.write("20240101120000_add_x.up.sql", "CREATE TABLE x (id int);\n");
    const auto second = twice.write("20240101120000_add_y.up.sql", "CREATE TABLE y (id int);\n");
    auto r = run_migrate(db, {"up"}, twice.path().string());
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find(fmt::format("{}: version 20240101120000 is also used by '{}'", second.string(), first.string())) !=
            std::string::npos);

    TempDir orphan;
    orphan.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    const auto down = orphan.write("0002_1.7.0_schema.down.sql", "DROP TABLE b;\n");
    auto o = run_migrate(db, {"up"}, orphan.path().string());
    REQUIRE(o.exit_code == 65);
    REQUIRE(o.err.find(down.string() + ": down file without an up file for version 2") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NULL AND to_regclass('x') IS NULL") == "t");
}

TEST_CASE("down over an up-only migration refuses before reverting anything", "[migrate][other-tools]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "CREATE TABLE b (id int);\n");
    dir.write("0002_b.down.sql", "DROP TABLE b;\n");
    REQUIRE(run_migrate(db, {"up"}, dir.path().string()).exit_code == 0);
    auto r = run_migrate(db, {"down", "--steps", "2", "--yes"}, dir.path().string());
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find("cannot revert 0001_a: " + (dir / "0001_a.down.sql").string() + " does not exist; nothing reverted") !=
            std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NOT NULL AND to_regclass('b') IS NOT NULL") == "t");
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 2);
}

TEST_CASE("validate names the file's line of an unterminated quote in a dbmate section", "[migrate][other-tools]") {
    TempDir dir;
    const auto path = dir.write("20240101120000_f.sql",
                                "-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\nSELECT $$oops;\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "validate", "--offline"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.out == path.string() + ": unterminated dollar-quoted string starting at line 6 column 8\n");
}

TEST_CASE("migrate new in a directory of dbmate files writes one more dbmate file", "[migrate][other-tools]") {
    TempDir dir;
    dir.write("20240101120000_a.sql", "-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "new", "add_index", "--no-transaction"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out == (dir / "20240101120001_add_index.sql").string() + "\n");
    REQUIRE(read_text(dir / "20240101120001_add_index.sql") == "-- migrate:up transaction:false\n\n\n-- migrate:down transaction:false\n\n");
    REQUIRE(!fs::exists(dir / "20240101120001_add_index.up.sql"));
}

TEST_CASE("lint names the file's line inside a dbmate section", "[migrate][other-tools][lint]") {
    TempDir dir;
    dir.write("20240101120000_t.sql", "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n");
    const auto path = dir.write("20240102120000_idx.sql",
                                "-- An index on an existing table.\n\n-- migrate:up\nSET lock_timeout = '5s';\n"
                                "CREATE INDEX idx_t_id ON t (id);\n-- migrate:down\nDROP INDEX idx_t_id;\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "lint", "--check"});
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.out.find(path.string() + ":5: index-not-concurrent:") != std::string::npos);
}

TEST_CASE("a migration wrapped in BEGIN and COMMIT commits together with its state row", "[migrate][other-tools]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "BEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n");
    REQUIRE(run_migrate(db, {"up", "--to", "1"}, dir.path().string()).exit_code == 0);
    // Recording 0002 fails: had the file's own COMMIT ended spotctl's transaction, table b would
    // stay behind without its row.
    db.conn().exec(R"(CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'state row refused'; END $$;
CREATE TRIGGER refuse BEFORE INSERT ON spotctl_schema_migrations FOR EACH ROW EXECUTE FUNCTION refuse())");
    auto r = run_migrate(db, {"up"}, dir.path().string());
    REQUIRE(r.exit_code != 0);
    REQUIRE(r.err.find("state row refused") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('b') IS NULL") == "t");
    db.conn().exec("DROP TRIGGER refuse ON spotctl_schema_migrations");
    REQUIRE(run_migrate(db, {"up"}, dir.path().string()).exit_code == 0);
    REQUIRE(db.scalar("SELECT to_regclass('b') IS NOT NULL") == "t");
}
