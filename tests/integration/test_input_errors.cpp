// cli/input_errors: the last resort that puts a PostgreSQL data exception (SQLSTATE class 22) in
// spotctl's words. The CLI's validators stop malformed arguments before they reach the server
// (test_malformed_input proves it), so no spotctl run reaches this code: here it is fed the real
// server's errors directly, one cast of a bad value per type, through one connection.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "cli/input_errors.hpp"
#include "core/pg.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// The error PostgreSQL gives for `sql` (which must fail), as spotctl's pg layer throws it.
pg::DbError server_error(pg::Connection& conn, const std::string& sql, const std::string& value) {
    try {
        conn.exec(sql, pg::params(value));
    } catch (const pg::DbError& e) {
        return e;
    }
    FAIL("the server accepted " << sql << " with '" << value << "'");
    throw;  // not reached: FAIL throws
}

}  // namespace

TEST_CASE("a server data error names the argument that held the value, in spotctl's words", "[input_errors][cli]") {
    pg::Connection conn(pg::Settings{pg_conninfo("postgres"), "spotctl tests"});

    // `spotctl area act --since VALUE ID` with --at on the parent: the values the errors quote.
    CLI::App app("spotctl", "spotctl");
    std::string at;
    app.add_option("--at", at);
    CLI::App* area = app.add_subcommand("area");
    CLI::App* act = area->add_subcommand("act");
    std::string since, id, count, window, from, json, flag;
    act->add_option("--since", since);
    act->add_option("--count", count);
    act->add_option("--window", window);
    act->add_option("--from", from);
    act->add_option("--meta", json);
    act->add_option("--flag", flag);
    act->add_option("id", id);
    std::vector<std::string> args = {"--at", "99999999999", "area", "act", "--since", "2026-12-01 at noon", "--count", "12abc",
                                     "--window", "2 hours later", "--from", "10.0.0.999", "--meta", "{", "--flag", "maybe", "19"};
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
    app.parse(args);

    struct Case {
        std::string sql, value, message;
    };
    const std::vector<Case> named = {
        {"SELECT $1::uuid", "19", "id: '19' is not an id (a UUID or a unique prefix of one)"},
        {"SELECT $1::timestamptz", "2026-12-01 at noon",
         "--since: '2026-12-01 at noon' is not a time (such as 2026-12-01 or 2026-12-01T09:00:00Z)"},
        {"SELECT $1::interval", "2 hours later", "--window: '2 hours later' is not a duration (such as 90s, 15m, 2h, 7d)"},
        {"SELECT $1::integer", "12abc", "--count: '12abc' is not a number"},
        {"SELECT $1::inet", "10.0.0.999", "--from: '10.0.0.999' is not an IP address or network"},
        {"SELECT $1::boolean", "maybe", "--flag: 'maybe' is not a valid value here"},
        // An option of a parent command: found by walking up from the leaf.
        {"SELECT $1::integer", "99999999999", "--at: '99999999999' is out of range"},
    };
    for (const auto& c : named) {
        INFO(c.sql << " with '" << c.value << "'");
        pg::DbError raw = server_error(conn, c.sql, c.value);
        REQUIRE(raw.sqlstate().rfind("22", 0) == 0);
        Error e = cli::for_a_person(raw, *act);
        CHECK(e.code() == Exit::usage);
        CHECK(std::string(e.what()) == c.message);
        CHECK(e.hint() == "see 'spotctl area act --help'");
    }

    // A value no argument held (it came from a file): a data error quoting it.
    Error unheld = cli::for_a_person(server_error(conn, "SELECT $1::date", "2026-02-30"), *act);
    CHECK(unheld.code() == Exit::data);
    CHECK(std::string(unheld.what()) == "the value '2026-02-30' is out of range");
    // A message that quotes no value (json's names no token for an unfinished input).
    Error unquoted = cli::for_a_person(server_error(conn, "SELECT $1::jsonb", "{\"a\":"), *act);
    CHECK(unquoted.code() == Exit::data);
    CHECK(std::string(unquoted.what()) == "a value is not valid JSON");

    // Anything that is not a data exception passes unchanged: another SQLSTATE class, or no
    // server error at all.
    pg::DbError undefined = server_error(conn, "SELECT $1::no_such_type", "x");
    REQUIRE(undefined.sqlstate() == "42704");
    Error kept = cli::for_a_person(undefined, *act);
    CHECK(std::string(kept.what()) == undefined.what());
    CHECK(kept.code() == undefined.code());
    Error plain(Exit::config, "not a server error");
    CHECK(std::string(cli::for_a_person(plain, *act).what()) == "not a server error");
}
