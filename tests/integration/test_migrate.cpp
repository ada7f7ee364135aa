// spotctl migrate against a real PostgreSQL: the platform's migrations, failures, drift,
// concurrency, the single-run lock, non-transactional migrations, baseline and repair.
#include <catch2/catch.hpp>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <regex>
#include <set>

#include "core/job_lock.hpp"
#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/migrate_cli.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string platform_migrations = platform_migrations_dir();

RunResult migrate(const TempDatabase& db, std::vector<std::string> args, const std::string& dir = platform_migrations) {
    return run_migrate(db, args, dir);
}

long long count(TempDatabase& db, const std::string& sql) { return std::stoll(db.scalar(sql)); }

// Migrations 0001, 0002, ... each creating (and its down file dropping) the table it is named after.
void write_table_migrations(const TempDir& dir, const std::vector<std::string>& tables) {
    for (std::size_t i = 0; i < tables.size(); ++i) {
        dir.write(fmt::format("{:04}_{}.up.sql", i + 1, tables[i]), fmt::format("CREATE TABLE {} (id int);\n", tables[i]));
        dir.write(fmt::format("{:04}_{}.down.sql", i + 1, tables[i]), fmt::format("DROP TABLE {};\n", tables[i]));
    }
}

}  // namespace

TEST_CASE("migrate up, down to zero and up again reaches the same schema", "[migrate]") {
    TempDatabase db;
    auto first = migrate(db, {"up"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") ==
            static_cast<long long>(platform_migration_count()));
    std::string after_first_up = schema_dump(db);
    REQUIRE(after_first_up.find("CREATE TABLE public.users") != std::string::npos);

    auto down = migrate(db, {"down", "--to", "0", "--yes"});
    INFO(down.err);
    REQUIRE(down.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spotctl_schema_migrations'") == 0);

    auto again = migrate(db, {"up"});
    REQUIRE(again.exit_code == 0);
    REQUIRE(schema_dump(db) == after_first_up);
}

TEST_CASE("migrate up prints one line per migration and a JSON summary", "[migrate]") {
    TempDatabase db;
    auto r = migrate(db, {"up", "--to", "0002"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::regex_search(r.out, std::regex(R"(^applied 0001_extensions_and_users \(\d+(ms|\.\d+s)\)$)", std::regex::multiline)));
    REQUIRE(std::regex_search(r.out, std::regex(R"(^applied 0002_chargers \()", std::regex::multiline)));
    REQUIRE(r.out.find("0003") == std::string::npos);

    auto json = run_spotctl({"--database-url", db.url(), "-o", "json", "migrate", "--dir", platform_migrations, "up", "--dry-run"});
    REQUIRE(json.exit_code == 0);
    REQUIRE(json.out.find("\"dry_run\": true") != std::string::npos);
    REQUIRE(json.out.find("\"name\": \"coin_ledger\"") != std::string::npos);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 2);  // dry run changed nothing
}

TEST_CASE("a migration that fails midway leaves no trace", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_good.up.sql", "CREATE TABLE good (id int);\n");
    dir.write("0001_good.down.sql", "DROP TABLE good;\n");
    dir.write("0002_bad.up.sql", "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT * FROM no_such_table;\n");
    dir.write("0002_bad.down.sql", "DROP TABLE half;\n");
    auto r = migrate(db, {"up"}, dir.path());
    REQUIRE(r.exit_code == 65);
    // The error names the file and the line PostgreSQL pointed at.
    REQUIRE(r.err.find(fmt::format("spotctl: error: {}:3: relation \"no_such_table\" does not exist; nothing of it was applied",
                                   (dir / "0002_bad.up.sql").string())) != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('half') IS NULL") == "t");
    REQUIRE(db.scalar("SELECT to_regclass('good') IS NOT NULL") == "t");
    REQUIRE(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");
}

TEST_CASE("checksum drift is reported, refused by up and accepted by repair", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0001_a.down.sql", "DROP TABLE a;\n");
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    dir.write("0001_a.up.sql", "CREATE TABLE a (id bigint);\n");
    dir.write("0002_b.up.sql", "CREATE TABLE b (id int);\n");
    dir.write("0002_b.down.sql", "DROP TABLE b;\n");

    auto status = migrate(db, {"status", "--check"}, dir.path());
    REQUIRE(status.exit_code == 1);
    REQUIRE(std::regex_search(status.out, std::regex(R"(1\s+a\s+changed)")));

    auto up = migrate(db, {"up"}, dir.path());
    REQUIRE(up.exit_code == 65);
    REQUIRE(up.err.find("0001_a.up.sql: changed since it was applied") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('b') IS NULL") == "t");

    auto validate = migrate(db, {"validate"}, dir.path());
    REQUIRE(validate.exit_code == 65);
    REQUIRE(validate.out.find("0001_a.up.sql: changed since it was applied") != std::string::npos);

    auto repair = migrate(db, {"repair", "--yes"}, dir.path());
    REQUIRE(repair.exit_code == 0);
    REQUIRE(repair.out.find("did record the new checksum of 0001_a") != std::string::npos);
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    REQUIRE(migrate(db, {"status", "--check"}, dir.path()).exit_code == 0);
}

TEST_CASE("eight concurrent migrate up runs apply every migration exactly once", "[migrate][concurrency]") {
    TempDatabase db;
    // The test holds the 'migrate' lock until all eight wait for it, then lets it go: they are
    // surely running at once, not one after another.
    std::optional<JobLock> held = JobLock::acquire(pg::Settings{db.url(), "spotctl tests"}, "migrate", Millis(0));
    std::vector<std::unique_ptr<Background>> runs;
    for (int i = 0; i < 8; ++i)
        runs.push_back(std::make_unique<Background>(std::vector<std::string>{
            "--database-url", db.url(), "migrate", "--dir", platform_migrations, "--lock-timeout", "60s", "up"}));
    bool all_waiting = wait_for(db, "SELECT count(*) = 9 FROM pg_stat_activity WHERE datname = current_database() "
                                    "AND application_name LIKE 'spotctl migrate lock %'");  // the test's own, and eight
    held.reset();
    std::string applied_lines;
    for (auto& run : runs) {
        auto r = run->wait();
        INFO(r.err);
        REQUIRE(r.exit_code == 0);  // each waited for the lock, then found nothing left to apply
        applied_lines += r.out;
    }
    REQUIRE(all_waiting);
    // Each migration is reported applied by exactly one of the runs.
    for (const char* label : {"0001_extensions_and_users", "0005_notifications_and_profile_changes", "0009_login_attempts_fraud_index"}) {
        std::string needle = std::string("applied ") + label + " (";
        std::size_t n = 0;
        for (auto pos = applied_lines.find(needle); pos != std::string::npos; pos = applied_lines.find(needle, pos + 1)) ++n;
        REQUIRE(n == 1);
    }
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") ==
            static_cast<long long>(platform_migration_count()));
}

TEST_CASE("a lock held by another session makes up wait, then exit 75 naming the holder", "[migrate][lock]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    // Hold the migrate lock from a session that looks like another spotctl run.
    pg::Connection holder(pg::Settings{db.url(), "spotctl migrate lock (otherhost pid 42)"});
    auto key = holder.exec("SELECT pg_try_advisory_lock($1::int, $2::int) AS got",
                           pg::params(0x53504F54 & 0x7fffffff, [] {
                               std::uint32_t h = 2166136261u;
                               for (unsigned char c : std::string("migrate")) { h ^= c; h *= 16777619u; }
                               return static_cast<int>(h & 0x7fffffff);
                           }()));
    REQUIRE(key[0].boolean("got"));

    auto started = std::chrono::steady_clock::now();
    auto r = migrate(db, {"--lock-timeout", "1500ms", "up"}, dir.path());
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE(r.exit_code == 75);
    REQUIRE(waited >= std::chrono::milliseconds(1400));
    REQUIRE(r.err.find("spotctl: error: another 'migrate' run holds the lock: 'spotctl migrate lock (otherhost pid 42)'") !=
            std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NULL") == "t");

    auto locks = run_spotctl({"--database-url", db.url(), "locks"});
    REQUIRE(locks.exit_code == 0);
    REQUIRE(std::regex_search(locks.out, std::regex(R"(migrate\s+\d+\s+spotctl migrate lock \(otherhost pid 42\))")));
}

TEST_CASE("losing the lock mid-run stops the run before the next step", "[migrate][lock]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_slow.up.sql", "CREATE TABLE slow (id int);\nSELECT pg_sleep(3);\n");
    dir.write("0002_next.up.sql", "CREATE TABLE next_one (id int);\n");
    Background run({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    // Wait until the first migration is running (in its session named after the command), then
    // terminate the lock holder's backend: the lock is lost mid-step, whatever the machine's load.
    REQUIRE(wait_for(db, "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'spotctl migrate up' "
                         "AND query LIKE '%pg_sleep%' AND datname = current_database()"));
    REQUIRE(db.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                      "WHERE application_name LIKE 'spotctl migrate lock%' AND datname = current_database()") == "1");
    auto r = run.wait();
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.find("spotctl: error: lost the 'migrate' lock: its connection to PostgreSQL was closed") != std::string::npos);
    // The migration in flight was rolled back with its state row; the next one never ran.
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NULL AND to_regclass('next_one') IS NULL") == "t");
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 0);
    // A re-run completes the job.
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 2);
}

TEST_CASE("a CREATE INDEX CONCURRENTLY migration runs outside a transaction", "[migrate][no-transaction]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int, v text);\nINSERT INTO t SELECT g, g::text FROM generate_series(1, 1000) g;\n");
    dir.write("0002_idx.up.sql",
              "-- spotctl:no-transaction\n"
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_v ON t (v);\n"
              "-- a second statement, with a semicolon in a string: ';'\n"
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_id ON t (id) WHERE v <> ';';\n");
    dir.write("0002_idx.down.sql", "-- spotctl:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS idx_t_id;\nDROP INDEX CONCURRENTLY IF EXISTS idx_t_v;\n");
    auto r = migrate(db, {"up"}, dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                      "WHERE c.relname IN ('idx_t_v', 'idx_t_id') AND i.indisvalid") == 2);
    REQUIRE(db.scalar("SELECT dirty FROM spotctl_schema_migrations WHERE version = 2") == "f");
    auto down = migrate(db, {"down", "--yes"}, dir.path());
    REQUIRE(down.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_class WHERE relname IN ('idx_t_v', 'idx_t_id')") == 0);
}

TEST_CASE("a failed concurrent index build marks the database dirty, explains it, and repair recovers", "[migrate][no-transaction]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (1);\n");
    dir.write("0002_unique.up.sql",
              "-- spotctl:no-transaction\n"
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_plain ON t (id);\n"
              "CREATE UNIQUE INDEX CONCURRENTLY idx_t_unique ON t (id);\n");
    auto r = migrate(db, {"up"}, dir.path());
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find(fmt::format("spotctl: error: {}:3: statement 2 of 2 failed: could not create unique index \"idx_t_unique\"",
                                   (dir / "0002_unique.up.sql").string())) != std::string::npos);
    REQUIRE(r.err.find("the database is marked dirty") != std::string::npos);

    auto status = migrate(db, {"status"}, dir.path());
    REQUIRE(status.out.find("dirty: " + (dir / "0002_unique.up.sql").string() + " failed at statement 2 (line 3): could not create unique index") !=
            std::string::npos);
    REQUIRE(status.out.find("left behind: INVALID index public.idx_t_unique from a failed concurrent build") != std::string::npos);
    REQUIRE(status.out.find("'spotctl migrate repair --yes' will drop the INVALID index(es) concurrently") != std::string::npos);

    // Later runs refuse until repair.
    auto refused = migrate(db, {"up"}, dir.path());
    REQUIRE(refused.exit_code == 65);
    REQUIRE(refused.err.find("the database is dirty: migration 0002_unique failed part-way") != std::string::npos);

    // Fix the cause, repair, and run again.
    db.conn().exec("DELETE FROM t WHERE ctid = (SELECT min(ctid) FROM t)");
    auto repair = migrate(db, {"repair", "--yes"}, dir.path());
    INFO(repair.err);
    REQUIRE(repair.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'idx_t_unique'") == 0);
    auto up = migrate(db, {"up"}, dir.path());
    INFO(up.err);
    REQUIRE(up.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'idx_t_unique' AND i.indisvalid") == 1);
}

TEST_CASE("baseline adopts an existing database without running its migrations", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "CREATE TABLE b (id int);\n");
    dir.write("0003_c.up.sql", "CREATE TABLE c (id int);\n");
    db.conn().exec("CREATE TABLE a (id int); CREATE TABLE b (id int)");  // made by hand long ago
    auto r = migrate(db, {"baseline", "--version", "2"}, dir.path());
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find("baselined at 2: 2 migration(s) recorded") != std::string::npos);
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);  // would fail if 0001 or 0002 ran again
    REQUIRE(db.scalar("SELECT string_agg(version || ':' || baseline, ',' ORDER BY version) FROM spotctl_schema_migrations") ==
            "1:true,2:true,3:false");
    auto again = migrate(db, {"baseline", "--version", "1"}, dir.path());
    REQUIRE(again.exit_code == 65);
    REQUIRE(again.err.find("cannot baseline: the database already has 3 applied migration(s)") != std::string::npos);
}

TEST_CASE("down asks on a terminal and refuses without --yes otherwise", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0001_a.down.sql", "DROP TABLE a;\n");
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    auto r = migrate(db, {"down"}, dir.path());
    REQUIRE(r.exit_code == 64);
    REQUIRE(r.err.find("spotctl: error: refusing to continue without confirmation: not a terminal") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NOT NULL") == "t");

    // On a terminal it asks; anything but yes changes nothing, yes reverts.
    const std::vector<std::string> down = {"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "down"};
    auto no = run_spotctl_on_terminal(down, "[y/N] ", "n\n");
    INFO(no.out);
    REQUIRE(no.exit_code == 1);
    REQUIRE(no.out.find("Revert 1 migration(s) (") != std::string::npos);
    REQUIRE(no.out.find("spotctl: error: cancelled: nothing was changed") != std::string::npos);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NOT NULL") == "t");
    auto yes = run_spotctl_on_terminal(down, "[y/N] ", "y\n");
    INFO(yes.out);
    REQUIRE(yes.exit_code == 0);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NULL") == "t");
}

TEST_CASE("status on a dirty, missing and pending mix in JSON", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "CREATE TABLE b (id int);\n");
    // Outside a transaction, the second statement fails after the first committed: dirty.
    dir.write("0003_c.up.sql", "-- spotctl:no-transaction\nCREATE TABLE c (id int);\nSELECT 1 / 0;\n");
    auto failed = migrate(db, {"up"}, dir.path());
    INFO(failed.err);
    REQUIRE(failed.exit_code == 65);
    REQUIRE(failed.err.find("the database is marked dirty") != std::string::npos);
    std::filesystem::remove(dir / "0002_b.up.sql");
    dir.write("0004_d.up.sql", "CREATE TABLE d (id int);\n");
    auto r = run_spotctl({"--database-url", db.url(), "-o", "json", "migrate", "--dir", dir.path().string(), "status"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find("\"version\": 1, \"name\": \"a\", \"status\": \"applied\"") != std::string::npos);
    REQUIRE(r.out.find("\"version\": 2, \"name\": \"b\", \"status\": \"missing\"") != std::string::npos);
    REQUIRE(r.out.find("\"version\": 3, \"name\": \"c\", \"status\": \"dirty\"") != std::string::npos);
    REQUIRE(r.out.find("0003_c.up.sql failed at statement 2 (line 3): division by zero") != std::string::npos);
    REQUIRE(r.out.find("\"version\": 4, \"name\": \"d\", \"status\": \"pending\"") != std::string::npos);
}

TEST_CASE("migrate new creates the next pair of files and never overwrites", "[migrate]") {
    TempDir dir;
    dir.write("0007_a.up.sql", "SELECT 1;\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "new", "add_rating"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::filesystem::exists(dir / "0008_add_rating.up.sql"));
    REQUIRE(std::filesystem::exists(dir / "0008_add_rating.down.sql"));
    auto bad = run_spotctl({"migrate", "--dir", dir.path().string(), "new", "Bad Name"});
    REQUIRE(bad.exit_code == 64);
    REQUIRE(bad.err.find("spotctl: error: invalid migration name 'Bad Name'") != std::string::npos);

    // A file of the next number can only appear between listing the directory and writing it
    // when two people run `new` at once: runs in pairs until two pick the same number, and the
    // second must then refuse (73), not overwrite.
    bool collided = false;
    for (int round = 0; round < 60 && !collided; ++round) {
        TempDir race;
        race.write("0007_a.up.sql", "SELECT 1;\n");
        const std::vector<std::string> args = {"migrate", "--dir", race.path().string(), "new", "add_rating"};
        Background first(args), second(args);
        auto a = first.wait(), b = second.wait();
        INFO("round " << round << ": " << a.exit_code << " " << a.out << a.err << " / " << b.exit_code << " " << b.out << b.err);
        REQUIRE(a.out != b.out);  // never both told they created the same files
        if (a.exit_code == 0 && b.exit_code == 0) {
            REQUIRE(std::filesystem::exists(race / "0009_add_rating.up.sql"));  // one after the other
            continue;
        }
        collided = true;
        const RunResult& loser = a.exit_code == 0 ? b : a;
        REQUIRE(std::multiset<int>{a.exit_code, b.exit_code} == std::multiset<int>{0, 73});
        REQUIRE(loser.err.find(fmt::format("spotctl: error: cannot create '{}': the file already exists",
                                           (race / "0008_add_rating.up.sql").string())) != std::string::npos);
        REQUIRE(std::filesystem::exists(race / "0008_add_rating.down.sql"));
        REQUIRE(!std::filesystem::exists(race / "0009_add_rating.up.sql"));
    }
    REQUIRE(collided);
}

TEST_CASE("migrate lint finds lock-heavy DDL and --check fails CI", "[migrate][lint]") {
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\n");
    dir.write("0002_idx.up.sql", "CREATE INDEX idx_t_id ON t (id);\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "lint", "--check"});
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.out.find((dir / "0002_idx.up.sql").string() + ":1: index-not-concurrent:") != std::string::npos);
    auto platform = run_spotctl({"migrate", "--dir", platform_migrations, "lint", "--check"});
    INFO(platform.out);
    REQUIRE(platform.exit_code == 0);
}

TEST_CASE("validate --offline checks files without a database", "[migrate]") {
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; \n");
    dir.write("0002_b.down.sql", "DROP FUNCTION f();\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "validate", "--offline"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.out.find("0001_a.up.sql: no down file (0001_a.down.sql)") != std::string::npos);
    REQUIRE(r.out.find("0002_b.up.sql: unterminated dollar-quoted string starting at line 1") != std::string::npos);
    REQUIRE(r.err.find("spotctl: error: 2 problem(s) found in 2 migration(s)") != std::string::npos);
    auto platform = run_spotctl({"migrate", "--dir", platform_migrations, "validate", "--offline"});
    REQUIRE(platform.exit_code == 0);
}

TEST_CASE("bad migration file names are reported with the file", "[migrate]") {
    TempDir dir;
    dir.write("0001_a.up.sql", "SELECT 1;\n");
    dir.write("0001_b.up.sql", "SELECT 1;\n");
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "validate", "--offline"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find("0001_b.up.sql: version 1 is also used by '" + (dir / "0001_a.up.sql").string() + "'") !=
            std::string::npos);
    TempDir other;
    other.write("create_users.sql", "SELECT 1;\n");
    auto r2 = run_spotctl({"migrate", "--dir", other.path().string(), "validate", "--offline"});
    REQUIRE(r2.exit_code == 65);
    REQUIRE(r2.err.find("create_users.sql: not a migration file name") != std::string::npos);
}

TEST_CASE("a migration kept waiting past --ddl-lock-timeout exits 75 and applies nothing", "[migrate][lock]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\n");
    const auto alter = dir.write("0002_col.up.sql", "ALTER TABLE t ADD COLUMN v text;\n");
    REQUIRE(migrate(db, {"up", "--to", "1"}, dir.path()).exit_code == 0);
    // A server's open transaction has read the table: ALTER TABLE must wait for it to end.
    pg::Connection server(pg::Settings{db.url(), "spotctl tests"});
    auto reading = server.begin();
    reading.exec("SELECT count(*) FROM t");
    auto started = std::chrono::steady_clock::now();
    auto r = migrate(db, {"--ddl-lock-timeout", "300ms", "--lock-retries", "0", "up"}, dir.path());
    auto waited = std::chrono::steady_clock::now() - started;
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.find(alter.string() + ":1: canceling statement due to lock timeout; nothing of it was applied; no retries") != std::string::npos);
    REQUIRE(r.err.find("(try ") == std::string::npos);  // --lock-retries 0: no retry was logged
    // It gave up after the flag's 300ms, not the default 10s.
    REQUIRE(waited < std::chrono::seconds(8));
    REQUIRE(count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'v'") == 0);
    REQUIRE(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");
    reading.commit();
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
}

TEST_CASE("the migrations run with the --statement-timeout and --ddl-lock-timeout given, and a statement past its limit exits 75", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    // The migration records the settings it sees.
    dir.write("0001_seen.up.sql",
              "CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout, "
              "current_setting('statement_timeout') AS statement_timeout;\n");
    dir.write("0001_seen.down.sql", "DROP TABLE seen;\n");
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    REQUIRE(db.scalar("SELECT lock_timeout || ' ' || statement_timeout FROM seen") == "10s 0");  // the defaults
    REQUIRE(migrate(db, {"down", "--yes"}, dir.path()).exit_code == 0);
    REQUIRE(migrate(db, {"--ddl-lock-timeout", "3s", "--statement-timeout", "7s", "up"}, dir.path()).exit_code == 0);
    REQUIRE(db.scalar("SELECT lock_timeout || ' ' || statement_timeout FROM seen") == "3s 7s");

    const auto slow = dir.write("0002_slow.up.sql", "CREATE TABLE slow (id int);\nSELECT pg_sleep(60);\n");
    auto started = std::chrono::steady_clock::now();
    auto r = migrate(db, {"--statement-timeout", "500ms", "up"}, dir.path());
    auto took = std::chrono::steady_clock::now() - started;
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    // PostgreSQL does not say which statement of the script was cancelled: the file, not the line.
    REQUIRE(std::regex_search(r.err, std::regex("^spotctl: error: " + slow.string() + R"(:\d+: canceling statement due to statement timeout; nothing of it was applied\n)")));
    REQUIRE(took < std::chrono::seconds(30));  // cancelled, not slept out
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NULL") == "t");
    REQUIRE(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");
}

TEST_CASE("down --steps N reverts exactly the N newest migrations, newest first", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    write_table_migrations(dir, {"a", "b", "c"});
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    auto r = migrate(db, {"down", "--steps", "2", "--yes"}, dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::regex_search(r.out, std::regex(R"(^reverted 0003_c \([^)]+\)\nreverted 0002_b \([^)]+\)\n$)")));
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NOT NULL AND to_regclass('b') IS NULL AND to_regclass('c') IS NULL") == "t");
    REQUIRE(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");
    auto zero = migrate(db, {"down", "--steps", "0", "--yes"}, dir.path());
    REQUIRE(zero.exit_code == 64);
    REQUIRE(zero.err.rfind("spotctl: error: --steps must be at least 1, not 0\n", 0) == 0);
    auto both = migrate(db, {"down", "--steps", "1", "--to", "0", "--yes"}, dir.path());
    REQUIRE(both.exit_code == 64);
    REQUIRE(db.scalar("SELECT to_regclass('a') IS NOT NULL") == "t");
}

TEST_CASE("down --dry-run lists what it would revert and changes nothing, without asking", "[migrate]") {
    TempDatabase db;
    TempDir dir;
    write_table_migrations(dir, {"a", "b"});
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 0);
    const std::string before = schema_dump(db);
    auto r = migrate(db, {"down", "--to", "0", "--dry-run"}, dir.path());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out == "would revert 0002_b\nwould revert 0001_a\n");
    auto json = run_spotctl({"--database-url", db.url(), "-o", "json", "migrate", "--dir", dir.path().string(), "down", "--dry-run"});
    REQUIRE(json.exit_code == 0);
    REQUIRE(json.out.find("\"dry_run\": true") != std::string::npos);
    REQUIRE(json.out.find("\"count\": 1") != std::string::npos);
    REQUIRE(schema_dump(db) == before);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations") == 2);
}

TEST_CASE("repair --dry-run says what it would do and leaves the dirty mark, the INVALID index and the checksum", "[migrate][no-transaction]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (1);\n");
    dir.write("0002_unique.up.sql", "-- spotctl:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY idx_t_unique ON t (id);\n");
    REQUIRE(migrate(db, {"up"}, dir.path()).exit_code == 65);
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (1);\n-- edited after it ran\n");
    const std::string state = "SELECT string_agg(version || ':' || dirty || ':' || checksum, ',' ORDER BY version) FROM spotctl_schema_migrations";
    const std::string before = db.scalar(state);
    REQUIRE(before.find("2:true:") != std::string::npos);

    auto r = migrate(db, {"repair", "--dry-run"}, dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find("would drop INVALID index public.idx_t_unique left by 0002_unique\n") != std::string::npos);
    REQUIRE(r.out.find("would clear the dirty mark of 0002_unique so that 'up' runs it again\n") != std::string::npos);
    REQUIRE(r.out.find("would record the new checksum of 0001_t (") != std::string::npos);
    REQUIRE(db.scalar(state) == before);
    REQUIRE(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'idx_t_unique'") == 1);
    // The real repair then does each of those.
    REQUIRE(migrate(db, {"repair", "--yes"}, dir.path()).exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'idx_t_unique'") == 0);
    REQUIRE(db.scalar(state) != before);
}

TEST_CASE("migrate new --no-transaction writes files that run outside a transaction", "[migrate][no-transaction]") {
    TempDatabase db;
    TempDir dir;
    write_table_migrations(dir, {"t"});
    auto r = run_spotctl({"migrate", "--dir", dir.path().string(), "new", "index_t", "--no-transaction"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto up = dir / "0002_index_t.up.sql", down = dir / "0002_index_t.down.sql";
    REQUIRE(slurp(up).rfind("-- spotctl:no-transaction\n", 0) == 0);
    REQUIRE(slurp(down).rfind("-- spotctl:no-transaction\n", 0) == 0);
    // CREATE INDEX CONCURRENTLY fails inside a transaction block: that it runs proves the marker works.
    std::ofstream(up, std::ios::app) << "CREATE INDEX CONCURRENTLY idx_t_id ON t (id);\n";
    std::ofstream(down, std::ios::app) << "DROP INDEX CONCURRENTLY idx_t_id;\n";
    auto applied = migrate(db, {"up"}, dir.path());
    INFO(applied.err);
    REQUIRE(applied.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'idx_t_id' AND i.indisvalid") == 1);
    REQUIRE(migrate(db, {"down", "--yes"}, dir.path()).exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'idx_t_id'") == 0);
}

TEST_CASE("migrate lint FILE... lints only the files named, wherever they are", "[migrate][lint]") {
    TempDir dir, elsewhere;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\n");
    const auto in_dir = dir.write("0002_idx.up.sql", "CREATE INDEX idx_t_id ON t (id);\n");
    const auto draft = elsewhere.write("draft.sql", "SET lock_timeout = '5s';\nALTER TABLE t ALTER COLUMN id TYPE bigint;\n");
    const auto clean = elsewhere.write("clean.sql", "CREATE TABLE u (id int);\nCREATE INDEX idx_u_id ON u (id);\n");

    auto one = run_spotctl({"migrate", "--dir", dir.path().string(), "lint", "--check", draft.string()});
    INFO(one.out << one.err);
    REQUIRE(one.exit_code == 1);
    REQUIRE(one.out.find(draft.string() + ":2: ") != std::string::npos);
    REQUIRE(one.out.find(in_dir.string()) == std::string::npos);  // the directory's own files are not linted
    REQUIRE(one.out.find("finding(s) in 1 file(s)\n") != std::string::npos);

    auto two = run_spotctl({"migrate", "--dir", dir.path().string(), "lint", "--check", clean.string(), in_dir.string()});
    INFO(two.out);
    REQUIRE(two.exit_code == 1);
    REQUIRE(two.out.find(in_dir.string() + ":1: index-not-concurrent:") != std::string::npos);
    REQUIRE(two.out.find(clean.string()) == std::string::npos);  // a table created in the same file is exempt
    REQUIRE(two.out.find(in_dir.string() + ":1: missing-lock-timeout:") != std::string::npos);
    REQUIRE(two.out.find("2 finding(s) in 2 file(s)\n") != std::string::npos);

    REQUIRE(run_spotctl({"migrate", "lint", "--check", clean.string()}).exit_code == 0);
    auto missing = run_spotctl({"migrate", "lint", (elsewhere / "nope.sql").string()});
    REQUIRE(missing.exit_code == 64);
    REQUIRE(missing.err.rfind(fmt::format("spotctl: error: cannot read '{}'", (elsewhere / "nope.sql").string()), 0) == 0);
}
