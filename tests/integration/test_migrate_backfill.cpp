// spotctl migrate running a `-- spotctl:batch` migration in key ranges against a real
// PostgreSQL: its result against a single UPDATE's, and a resume after a SIGKILL.
#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/migrate_cli.hpp"

using namespace spotctl;
using namespace spotctl::test;

TEST_CASE("a batched backfill killed half-way resumes where it stopped and ends equal to a single UPDATE", "[migrate][backfill]") {
    TempDatabase db;
    TempDir dir;
    // `expected` gets the same change as one plain UPDATE. The change is not idempotent (v + ...),
    // so a range run twice, or skipped, after the kill would show.
    dir.write("0001_t.up.sql",
              "CREATE TABLE t (id bigint PRIMARY KEY, v int NOT NULL);\n"
              "INSERT INTO t SELECT g, g % 7 FROM generate_series(1, 3000) g;\n"
              "CREATE TABLE expected AS TABLE t;\n"
              "UPDATE expected SET v = v + id % 5 + 1;\n");
    // Each batch sleeps 20ms, so that the run is still going when the test kills it.
    dir.write("0002_backfill.up.sql",
              "-- Adds id % 5 + 1 to every v, in batches.\n"
              "-- spotctl:batch table=t key=id size=50 min=10 max=100 target=100ms\n"
              "WITH pace AS (SELECT pg_sleep(0.02))\n"
              "UPDATE t SET v = v + id % 5 + 1 FROM pace WHERE id >= $1 AND id < $2;\n");
    REQUIRE(run_migrate(db, {"up", "--to", "1"}, dir.path()).exit_code == 0);

    Background run({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    REQUIRE(wait_for(db, "SELECT to_regclass('spotctl_backfills') IS NOT NULL"));
    REQUIRE(wait_for(db, "SELECT coalesce((SELECT next_key > 1000 FROM spotctl_backfills), false)"));
    run.signal(SIGKILL);
    run.wait();
    REQUIRE(wait_for(db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() "
                         "AND application_name LIKE 'spotctl migrate%'"));
    const long long stopped = std::stoll(db.scalar("SELECT next_key FROM spotctl_backfills"));
    INFO("stopped at key " << stopped);
    REQUIRE(stopped <= 3000);  // killed half-way, not after the end
    CHECK(db.scalar("SELECT count(*) FROM t JOIN expected USING (id) WHERE t.v = expected.v") == std::to_string(stopped - 1));
    CHECK(db.scalar("SELECT string_agg(version::text, ',') FROM spotctl_schema_migrations") == "1");

    auto status = run_migrate(db, {"status"}, dir.path());
    INFO(status.out);
    CHECK(status.out.find("backfill interrupted at key " + std::to_string(stopped) + " of 1..3000") != std::string::npos);

    auto resumed = run_spotctl({"-v", "--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.err.find("resuming the backfill of 0002_backfill at key " + std::to_string(stopped)) != std::string::npos);
    CHECK(db.scalar("SELECT count(*) FROM t JOIN expected USING (id) WHERE t.v = expected.v") == "3000");
    CHECK(db.scalar("SELECT count(*) FROM spotctl_backfills") == "0");
    CHECK(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM spotctl_schema_migrations") == "1,2");
}

TEST_CASE("migrate lint flags an UPDATE or DELETE of a big table unless the migration is batched", "[migrate][backfill][lint]") {
    TempDatabase db;
    db.conn().exec("CREATE TABLE big (id bigint PRIMARY KEY, v int); INSERT INTO big SELECT g, 0 FROM generate_series(1, 2000) g;"
                   "CREATE TABLE small (id bigint PRIMARY KEY, v int); INSERT INTO small VALUES (1, 0); ANALYZE big; ANALYZE small");
    TempDir dir;
    const auto plain = dir.write("plain.sql",
                                 "UPDATE small SET v = 1;\n"
                                 "UPDATE Big SET v = 1\n  WHERE v = 0;\n"
                                 "DELETE FROM ONLY public.big WHERE v < 0;\n"
                                 "UPDATE not_created_yet SET v = 1;\n");
    const auto batched = dir.write("batched.sql",
                                   "-- spotctl:batch table=big key=id\nUPDATE big SET v = 1 WHERE id >= $1 AND id < $2;\n");
    auto r = run_migrate(db, {"lint", "--check", "--big-table-rows", "1000", plain.string(), batched.string()}, dir.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(plain.string() + ":2: unbatched-data-change: UPDATE of table big (about 2000 rows, by pg_class.reltuples)") !=
          std::string::npos);
    CHECK(r.out.find(plain.string() + ":4: unbatched-data-change: DELETE of table public.big (about 2000 rows") != std::string::npos);
    CHECK(r.out.find("2 finding(s) in 2 file(s)") != std::string::npos);  // not small, not the batched file
    // Without a database, lint reads the files only.
    auto offline = run_spotctl({"migrate", "--dir", dir.path().string(), "lint", "--check", "--big-table-rows", "1000", plain.string()},
                               {{"DATABASE_URL", ""}});
    CHECK(offline.exit_code == 0);
}
