// Hostile input at every string that reaches PostgreSQL or Redis: quotes, SQL and shell
// injection, glob characters, backslashes, NUL bytes, invalid UTF-8 and huge values. Each is
// either rejected with a one-line error and a documented exit code, or stored verbatim; none is
// ever executed, and the database is intact afterwards.
#include "support/hostile_input.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/harness.hpp"
#include "support/interrupt.hpp"
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
        TableDigests tables(db);
        const std::string other_users = "(SELECT * FROM users WHERE email <> 'h@example.com')";
        auto others = contents(db, {other_users});
        auto started = std::chrono::steady_clock::now();
        auto r = run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", dir.path().string(), "--on-conflict", "update"});
        INFO(printable(value) << "\n" << r.err);
        require_safe_outcome(r, {0, 65});
        require_payloads_inert(value, started);
        if (r.exit_code == 0) {
            REQUIRE(db.scalar("SELECT name = $1 FROM users WHERE email = 'h@example.com'", {value}) == "t");
            // Only the fixture's own row changed: no other user, and no other table.
            REQUIRE(contents(db, {other_users}) == others);
            tables.require_unchanged({"users"});
            ++stored;
        } else {
            REQUIRE(r.err.find((dir / "users.csv").string() + ":2:") != std::string::npos);  // where
            tables.require_unchanged();
            ++refused;
        }
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

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";

// A database with the demo data; its active admin's e-mail and an active ordinary user's id.
struct Staffed {
    TempDatabase db{"spotctl_template"};
    PrivateRedis redis;  // suspensions drop the account's cache keys
    std::string admin, user_id;
    Staffed() {
        REQUIRE(run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", demo_seeds}).exit_code == 0);
        admin = db.scalar("SELECT email FROM users WHERE role = 'admin' AND status = 'active' ORDER BY email LIMIT 1");
        user_id = db.scalar("SELECT id FROM users WHERE role = 'user' AND status = 'active' ORDER BY email LIMIT 1");
        REQUIRE(!admin.empty());
        REQUIRE(!user_id.empty());
    }
    RunResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--database-url", db.url(), "--redis-url", redis.url()});
        return run_spotctl(args, {{"SPOTCTL_ACTOR", admin}});
    }
};

}  // namespace

TEST_CASE("hostile: reasons are audited verbatim, and ids, e-mails and filters never reach SQL as text", "[hostile][user][audit][moderate]") {
    Staffed s;
    const std::string sanctions = "SELECT count(*) FROM audit_log WHERE action IN ('user.suspend', 'user.restore')";
    auto before = std::stoll(s.db.scalar(sanctions));
    for (const auto& value : hostile_strings(false)) {
        INFO(printable(value));
        TableDigests tables(s.db);
        const std::string others = fmt::format("(SELECT * FROM users WHERE id <> '{}')", s.user_id);
        const std::string earlier_audit = fmt::format("(SELECT * FROM audit_log WHERE id <= {})", s.db.scalar("SELECT coalesce(max(id), 0) FROM audit_log"));
        auto untouched = contents(s.db, {others, earlier_audit});
        auto started = std::chrono::steady_clock::now();
        // A reason is stored exactly as typed, in the audit row of the change.
        auto suspend = s.run({"user", "suspend", s.user_id, "--until", "7d", "--reason", value});
        INFO(suspend.err);
        require_safe_outcome(suspend, {0});
        REQUIRE(s.db.scalar("SELECT reason = $1 FROM audit_log WHERE action = 'user.suspend' ORDER BY id DESC LIMIT 1", {value}) == "t");
        require_safe_outcome(s.run({"user", "restore", s.user_id, "--reason", "hostile-input test"}), {0});
        // As an account, a moderation item, an actor or a subject, it names nothing.
        require_safe_outcome(s.run({"user", "show", value}), {64, 65});
        require_safe_outcome(s.run({"moderate", "approve", value, "--reason", "x"}), {64, 65});
        require_safe_outcome(s.run({"moderate", "show", value}), {64, 65});
        require_safe_outcome(s.run({"audit", "--actor", value}), {0, 64, 65});
        require_safe_outcome(s.run({"audit", "--subject", value}), {0, 64, 65});
        require_safe_outcome(s.run({"audit", "--action", value}), {0, 64, 65});
        require_payloads_inert(value, started);
        // The suspension and restore changed their account and added audit rows; nothing else changed.
        REQUIRE(contents(s.db, {others, earlier_audit}) == untouched);
        tables.require_unchanged({"users", "audit_log", "user_sessions"});  // sessions: revoked by the first suspension
    }
    // Every suspension and restore above is in the log: nothing was dropped or truncated.
    REQUIRE(std::stoll(s.db.scalar(sanctions)) == before + 2 * static_cast<long long>(hostile_strings(false).size()));
}

TEST_CASE("hostile: fraud and report refuse what is not a network, rule, report or table, and filter by the rest", "[hostile][fraud][report]") {
    Staffed s;
    auto blocked = s.db.scalar("SELECT count(*) FROM ip_blacklist");
    for (const auto& value : hostile_strings(false)) {
        INFO(printable(value));
        TableDigests tables(s.db);
        auto started = std::chrono::steady_clock::now();
        require_safe_outcome(s.run({"fraud", "ip", "block", value, "--reason", "x"}), {64, 65});
        require_safe_outcome(s.run({"fraud", "alerts", "--rule", value}), {64, 65});
        require_safe_outcome(s.run({"fraud", "show", value}), {64, 65});
        require_safe_outcome(s.run({"report", "run", value}), {64, 65});
        require_safe_outcome(s.run({"report", "export", value}), {64, 65});
        // A city filter is a value compared with cities: an empty report, not an error.
        auto city = s.run({"report", "run", "usage", "--city", value, "-o", "csv"});
        INFO(city.err);
        require_safe_outcome(city, {0, 64, 65});
        require_payloads_inert(value, started);
        tables.require_unchanged();
    }
    REQUIRE(s.db.scalar("SELECT count(*) FROM ip_blacklist") == blocked);
}
