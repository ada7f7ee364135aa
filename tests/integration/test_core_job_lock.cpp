// core/job_lock's failures while taking a lock, in-process (no spotctl run): the lock's own
// connection cannot be opened, the server refuses the lock function, and the connection is
// terminated while it waits for another session's lock.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>

#include "core/job_lock.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

TEST_CASE("taking a job lock fails with 69 when its connection cannot be opened or is lost while waiting, 77 when refused",
          "[job_lock]") {
    TempDatabase db;

    // The lock's own connection, to a database that does not exist.
    try {
        JobLock::acquire(pg::Settings{pg_conninfo(db.name() + "_missing"), "spotctl tests"}, "seed", Millis(0));
        FAIL("a lock was taken on a database that does not exist");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::unavailable);
        CHECK_THAT(e.what(), Catch::StartsWith("cannot connect to PostgreSQL at ") &&
                                 Catch::Contains(fmt::format("database \"{}_missing\" does not exist", db.name())));
        CHECK_THAT(e.what(), !Catch::Contains(required_env("SPOTCTL_TEST_PASSWORD")));
    }

    // A role that may not call pg_try_advisory_lock in this database: the server's refusal, 77.
    std::string role = fmt::format("spotctl_nolock_{}", ::getpid());
    db.conn().exec(fmt::format("CREATE ROLE {} LOGIN", role));
    db.conn().exec("REVOKE EXECUTE ON FUNCTION pg_try_advisory_lock(integer, integer) FROM PUBLIC");
    std::string role_url = db.url();
    auto user = role_url.find("user=postgres");
    REQUIRE(user != std::string::npos);
    role_url.replace(user, 13, "user=" + role);
    try {
        JobLock::acquire(pg::Settings{role_url, "spotctl tests"}, "prune", Millis(0));
        FAIL("a role without EXECUTE on pg_try_advisory_lock took the lock");
    } catch (const pg::DbError& e) {
        CHECK(e.code() == Exit::no_perm);
        CHECK(e.sqlstate() == "42501");
        CHECK_THAT(e.what(), Catch::Contains("permission denied for function pg_try_advisory_lock"));
    }
    db.conn().exec(fmt::format("DROP ROLE {}", role));

    // Another session holds the lock; the waiting run's connection is terminated (an
    // administrator's pg_terminate_backend, a failover): 69, not a wait until the deadline.
    db.conn().exec("SELECT pg_advisory_lock($1::int, $2::int)", pg::params(JobLock::class_id(), JobLock::object_id("report")));
    std::optional<Error> failure;
    bool took = false;
    std::thread waiter([&] {
        try {
            JobLock::acquire(pg::Settings{db.url(), "spotctl tests"}, "report", Millis(60000));
            took = true;
        } catch (const Error& e) {
            failure = e;
        }
    });
    // The waiter's backend, once it has tried for the lock, is the only one with the lock's application name.
    std::string terminated;
    for (int i = 0; i < 100 && terminated != "t"; ++i) {
        terminated = db.scalar(
            "SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name LIKE 'spotctl report lock (%' "
            "AND query LIKE 'SELECT pg_try_advisory_lock%'");
        if (terminated != "t") std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    waiter.join();
    REQUIRE(terminated == "t");
    CHECK_FALSE(took);
    REQUIRE(failure);
    CHECK(failure->code() == Exit::unavailable);
    CHECK_THAT(failure->what(), Catch::StartsWith("lost the connection to PostgreSQL: "));
}
