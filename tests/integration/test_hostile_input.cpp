// Hostile input at every string that reaches PostgreSQL or Redis: quotes, SQL and shell
// injection, glob characters, backslashes, NUL bytes, invalid UTF-8 and huge values. Each is
// either rejected with a one-line error and a documented exit code, or stored verbatim; none is
// ever executed, and the database is intact afterwards.
#include "support/hostile_input.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/harness.hpp"
#include "support/private_redis.hpp"

using namespace spotctl::test;

namespace {

std::string csv_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

TEST_CASE("hostile: fixture fields are stored verbatim or refused at their line, never executed", "[hostile][seed]") {
    TempDatabase db("spotctl_template");
    int stored = 0, refused = 0;
    for (const auto& value : hostile_strings(true)) {
        TempDir dir;
        dir.write("users.csv", "id,email,name,role\n00000000-0000-4000-8000-00000000aa01,h@example.com," + csv_quote(value) + ",user\n");
        auto r = run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", dir.path().string(), "--on-conflict", "update"});
        INFO(printable(value) << "\n" << r.err);
        require_safe_outcome(r, {0, 65});
        if (r.exit_code == 0) {
            REQUIRE(db.scalar("SELECT name = $1 FROM users WHERE email = 'h@example.com'", {value}) == "t");
            ++stored;
        } else {
            REQUIRE(r.err.find((dir / "users.csv").string() + ":2:") != std::string::npos);  // where
            ++refused;
        }
        require_schema_intact(db);
    }
    // NUL and invalid UTF-8 cannot be PostgreSQL text; everything else, 1 MiB included, is kept as written.
    REQUIRE(refused == 2);  // the NUL and the invalid UTF-8
    REQUIRE(stored == static_cast<int>(hostile_strings(true).size()) - 2);
}

TEST_CASE("hostile: cache invalidate refuses any id that is not a UUID and removes nothing", "[hostile][cache]") {
    PrivateRedis redis;
    // Keys of two users under the registry's user namespaces.
    for (const char* user : {"00000000-0000-4000-8000-0000000000a1", "00000000-0000-4000-8000-0000000000a2"})
        redis.cli(fmt::format("set user:{}:stats 1", user));
    for (const auto& value : hostile_strings(false)) {
        for (const char* flag : {"--user", "--charger"}) {
            auto r = run_spotctl({"--redis-url", redis.url(), "cache", "invalidate", flag, value});
            INFO(flag << " " << printable(value) << "\n" << r.err);
            require_safe_outcome(r, {64, 65});
        }
    }
    REQUIRE(redis.cli("dbsize") == "2");
}

TEST_CASE("hostile: migrate --to and health thresholds refuse what they cannot parse", "[hostile][migrate][health]") {
    TempDatabase db;
    for (const auto& value : hostile_strings(false)) {
        auto target = run_spotctl({"--database-url", db.url(), "migrate", "--dir", std::string(SPOTCTL_SOURCE_DIR) + "/migrations",
                                   "up", "--to", value});
        INFO(printable(value) << "\n" << target.err);
        require_safe_outcome(target, {64, 65});
        REQUIRE(db.scalar("SELECT to_regclass('users') IS NULL") == "t");  // nothing applied
        auto health = run_spotctl({"--database-url", db.url(), "health", "postgres", "--warning", value + "=1"});
        REQUIRE(health.exit_code == 3);  // UNKNOWN, the monitoring convention for a check that cannot run
        REQUIRE(health.err.find("spotctl: error: invalid --warning") == 0);
    }
}
