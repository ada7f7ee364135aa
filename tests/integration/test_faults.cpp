// Faults injected at the worst moment of each mutating command: its PostgreSQL backend
// terminated, the process killed with SIGKILL, Redis stopped mid-purge, the output disk full.
// (moderate, user and fraud review have theirs beside their other tests.)
// Each test checks the outcome (the documented exit code, nothing half-applied, no partial file)
// and that a plain re-run completes the job.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <thread>

#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/private_redis.hpp"

using namespace spotctl::test;

namespace {

long long count(TempDatabase& db, const std::string& sql) { return std::stoll(db.scalar(sql)); }

// The query of the session named `application_name` is running and matches `like`.
std::string session_runs(const std::string& application_name, const std::string& like) {
    return fmt::format("SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = '{}' "
                       "AND state = 'active' AND query ILIKE '{}' AND datname = current_database()",
                       application_name, like);
}

}  // namespace

TEST_CASE("fault: migrate killed with SIGKILL mid-migration leaves nothing applied, and a re-run completes", "[faults][migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_slow.up.sql", "CREATE TABLE slow (id int);\nSELECT pg_sleep(2);\n");
    dir.write("0002_next.up.sql", "CREATE TABLE next_one (id int);\n");
    Background run({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    REQUIRE(wait_for(db, session_runs("spotctl migrate up", "%pg_sleep%")));
    run.signal(SIGKILL);
    REQUIRE(run.wait().exit_code == 128 + SIGKILL);
    // The server rolls the orphaned transaction back once its backend notices the client is gone;
    // then a re-run applies both.
    REQUIRE(wait_for(db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name LIKE 'spotctl migrate%'"));
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NULL") == "t");
    auto again = run_spotctl({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") == 2);
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NOT NULL AND to_regclass('next_one') IS NOT NULL") == "t");
}

TEST_CASE("fault: migrate's backend terminated mid-migration is exit 69 with nothing applied", "[faults][migrate]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_slow.up.sql", "CREATE TABLE slow (id int);\nSELECT pg_sleep(3);\n");
    Background run({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"});
    REQUIRE(wait_for(db, session_runs("spotctl migrate up", "%pg_sleep%")));
    db.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'spotctl migrate up'");
    auto r = run.wait();
    INFO(r.err);
    REQUIRE(r.exit_code == 69);
    REQUIRE(r.err.rfind("spotctl: error: ", 0) == 0);
    REQUIRE(r.err.find('\n') == r.err.size() - 1);  // one line
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NULL") == "t");
    REQUIRE(count(db, "SELECT count(*) FROM spotctl_schema_migrations WHERE NOT dirty") == 0);
    REQUIRE(run_spotctl({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"}).exit_code == 0);
    REQUIRE(db.scalar("SELECT to_regclass('slow') IS NOT NULL") == "t");
}

TEST_CASE("fault: seed generate killed with SIGKILL mid-load leaves every table empty, and a re-run loads them", "[faults][seed]") {
    TempDatabase db("spotctl_template");
    Background run({"--database-url", db.url(), "seed", "generate", "--scale", "1"});
    REQUIRE(wait_for(db, session_runs("spotctl seed generate", "COPY %")));
    run.signal(SIGKILL);
    REQUIRE(run.wait().exit_code == 128 + SIGKILL);
    // The single transaction never committed: no table has any row. The orphaned backend ends
    // when it next reads from the closed socket, which under a loaded sanitized run took over 10 s.
    REQUIRE(wait_for(db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name LIKE 'spotctl seed%'",
                     std::chrono::seconds(60)));
    REQUIRE(count(db, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM chargers) + "
                      "(SELECT count(*) FROM login_attempts) + (SELECT count(*) FROM coin_transactions)") == 0);
    auto again = run_spotctl({"--database-url", db.url(), "seed", "generate", "--scale", "1"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM users") > 0);
}

TEST_CASE("fault: prune's backend terminated mid-run keeps committed batches, exits 69, and a re-run finishes", "[faults][prune]") {
    TempDatabase db("spotctl_template");
    db.conn().exec("INSERT INTO login_attempts (ip, success, created_at) "
                   "SELECT '10.9.0.1', false, now() - interval '200 days' FROM generate_series(1, 200000);"
                   "INSERT INTO login_attempts (ip, success) SELECT '10.9.0.2', true FROM generate_series(1, 50);");
    Background run({"--database-url", db.url(), "prune", "login_attempts", "--batch-size", "100"});
    // Some batches are committed before the backend goes.
    REQUIRE(wait_for(db, "SELECT count(*) < 199000 FROM login_attempts"));
    db.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'spotctl prune'");
    auto r = run.wait();
    INFO(r.err);
    REQUIRE(r.exit_code == 69);
    auto left = count(db, "SELECT count(*) FROM login_attempts WHERE ip = '10.9.0.1'");
    REQUIRE(left > 0);
    REQUIRE(left < 199000);
    auto again = run_spotctl({"--database-url", db.url(), "prune", "login_attempts", "--batch-size", "50000"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(count(db, "SELECT count(*) FROM login_attempts WHERE ip = '10.9.0.1'") == 0);
    REQUIRE(count(db, "SELECT count(*) FROM login_attempts WHERE ip = '10.9.0.2'") == 50);  // recent ones stay
}

TEST_CASE("fault: Redis stopped mid-purge is exit 69 naming Redis, and after a restart a re-run removes the rest", "[faults][cache]") {
    PrivateRedis redis({.password = "", .persistent = true});
    redis.fill("fault:", 200000);
    redis.fill("keep:", 100);
    Background run({"--redis-url", redis.url(), "cache", "purge", "--pattern", "fault:*", "--no-lock", "--rate", "20000"});
    // Stop Redis once the purge is under way.
    for (int i = 0; i < 200 && std::stoll(redis.cli("dbsize")) > 199000; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    redis.stop();
    auto r = run.wait();
    INFO(r.err);
    REQUIRE(r.exit_code == 69);
    REQUIRE(r.err.find("Redis") != std::string::npos);
    redis.start();
    auto left = std::stoll(redis.cli("dbsize"));
    REQUIRE(left > 100);     // the purge was stopped part-way
    REQUIRE(left < 200100);
    auto again = run_spotctl({"--redis-url", redis.url(), "cache", "purge", "--pattern", "fault:*", "--no-lock"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(redis.cli("dbsize") == "100");  // the other keys were never touched
}

TEST_CASE("fault: a full disk under --output-file fails with its exit code, no file at the target and no temporary left", "[faults][files]") {
    TempDatabase db("spotctl_template");
    TempDir out;
    // A file size limit of zero makes every write fail with EFBIG, as a full disk fails with ENOSPC.
    struct Case {
        std::string args;
        std::string failed;  // the exit code of a failed write: health follows the monitoring convention
    };
    for (const auto& [args, failed] :
         {Case{fmt::format("health postgres -o prometheus --output-file {}/health.prom", out.path().string()), "3"},
          Case{fmt::format("prune --metrics-file {}/prune.prom", out.path().string()), "73"},
          Case{fmt::format("-o csv report export payments --from 2026-03-01 --to 2026-03-31 --output-file {}/payments.csv", out.path().string()), "73"},
          Case{fmt::format("-o pdf report run revenue --output-file {}/revenue.pdf", out.path().string()), "73"}}) {
        auto r = run_shell(fmt::format("trap '' XFSZ; ulimit -f 0; {} --database-url '{}' {} 2>&1; echo \"exit=$?\"",
                                       SPOTCTL_BINARY, db.url(), args));
        INFO(args << "\n" << r.out);
        REQUIRE(r.out.find("exit=" + failed + "\n") != std::string::npos);
        REQUIRE(r.out.find("spotctl: error: ") != std::string::npos);
        REQUIRE(std::filesystem::is_empty(out.path()));
        // With room to write, the same command leaves a complete file.
        auto ok = run_shell(fmt::format("{} --database-url '{}' {} >/dev/null 2>&1; echo $?", SPOTCTL_BINARY, db.url(), args));
        REQUIRE((ok.out == "0\n" || ok.out == "1\n"));
        REQUIRE(!std::filesystem::is_empty(out.path()));
        std::filesystem::remove_all(out.path());
        std::filesystem::create_directories(out.path());
    }
}
