// spotctl migrate retrying a transactional migration that lock_timeout cancelled, and naming the
// session that held the lock, against a real PostgreSQL and a real second session.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/harness.hpp"
#include "support/migrate_cli.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
    return n;
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace

TEST_CASE("a migration cancelled on lock_timeout is rolled back and retried, each try naming the session that held the lock",
          "[migrate][lock]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_t.up.sql", "CREATE TABLE t (id int);\nCREATE TABLE tries (n serial);\n");
    // Each try counts itself before it waits for the lock: a try that was not rolled back would stay counted.
    dir.write("0002_col.up.sql", "INSERT INTO tries DEFAULT VALUES;\nALTER TABLE t ADD COLUMN v text;\n");
    REQUIRE(run_migrate(db, {"up", "--to", "1"}, dir.path()).exit_code == 0);
    // PostgreSQL's lock timeout error carries no position: the file is named at its first line.
    const std::vector<std::string> fast = {"--ddl-lock-timeout", "400ms", "--lock-retry-base", "20ms"};

    // A server's open transaction has read the table: ALTER TABLE waits for it to end.
    pg::Connection holder(pg::Settings{db.url(), "spotctl tests lock holder"});
    const std::string named = "the lock was held by pid " + std::to_string(holder.backend_pid()) +
                              " (application 'spotctl tests lock holder', client ";
    auto reading = holder.begin();
    // Its query quotes the database password, which spotctl must never print.
    const std::string password = required_env("SPOTCTL_TEST_PASSWORD");
    reading.exec("SELECT count(*) FROM t WHERE '" + password + "' <> ''");

    // It never lets go: three tries, then exit 75 naming it; nothing applied.
    auto gave_up = run_migrate(db, with(fast, {"--lock-retries", "2", "up"}), dir.path());
    INFO(gave_up.err);
    REQUIRE(gave_up.exit_code == 75);
    CHECK(occurrences(gave_up.err, "0002_col.up.sql:1: canceling statement due to lock timeout (try ") == 2);
    CHECK(occurrences(gave_up.err, named) == 3);  // each retried try, and the final error
    CHECK(gave_up.err.find(", idle in transaction for ") != std::string::npos);
    CHECK(gave_up.err.find("query: SELECT count(*) FROM t WHERE '****' <> '')") != std::string::npos);
    CHECK(gave_up.err.find(password) == std::string::npos);
    CHECK(gave_up.err.find("nothing of it was applied; gave up after 3 tries: " + named) != std::string::npos);
    CHECK(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");
    CHECK(db.scalar("SELECT count(*) FROM tries") == "0");

    // It lets go after the second try: the third applies the migration, once.
    Background run(with({"--database-url", db.url(), "migrate", "--dir", dir.path().string()}, with(fast, {"up"})));
    REQUIRE(run.wait_for_stderr("(try 2 of 6)"));
    reading.commit();
    auto applied = run.wait();
    INFO(applied.err);
    REQUIRE(applied.exit_code == 0);
    CHECK(occurrences(applied.err, "canceling statement due to lock timeout (try ") == 2);
    CHECK(occurrences(applied.err, named) == 2);
    CHECK(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM spotctl_schema_migrations") == "1,2");
    CHECK(db.scalar("SELECT count(*) FROM tries") == "1");
    CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'v'") == "1");
}
