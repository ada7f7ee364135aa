// spotctl staff and spotctl coins against a real PostgreSQL: a role change writes the role, its
// role_grants row and one audit row, or (refused) nothing; the last admin stays; the roster and
// the access-review report agree; coin adjustments and redemptions go through the ledger, never
// below zero, and the running balance matches the ledger's own sums.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;
using json = nlohmann::json;

namespace {

// Admin a001, moderator a002 (who decided one item), people b001 (40 coins) and b002.
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'Admin', 'admin'),
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'Mod One', 'moderator'),
  ('00000000-0000-4000-8000-00000000b001', 'person@example.com', 'Pat Person', 'user'),
  ('00000000-0000-4000-8000-00000000b002', 'other@example.com', 'Other', 'user');
INSERT INTO moderation_items (subject_type, subject_id, reason, status, decided_by, decided_at) VALUES
  ('user', '00000000-0000-4000-8000-00000000b002', 'spam', 'rejected', '00000000-0000-4000-8000-00000000a002', now() - interval '3 days');
INSERT INTO coin_transactions (user_id, action, amount) VALUES
  ('00000000-0000-4000-8000-00000000b001', 'add_charger', 50),
  ('00000000-0000-4000-8000-00000000b001', 'upload_photo', 10),
  ('00000000-0000-4000-8000-00000000b001', 'redeem', -20);
)SQL";

RunResult run(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "-o", "json"};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

json row_of(const json& rows, const std::string& email) {
    for (const auto& r : rows)
        if (r["email"] == email) return r;
    FAIL("no row for " << email << " in " << rows.dump());
    return {};
}

}  // namespace

TEST_CASE("staff grant and revoke change the role with one audit row each, only for admins, never the last admin", "[staff]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto state = [&] {
        return db.scalar("SELECT string_agg(role, ',' ORDER BY id) FROM users") + " grants=" + db.scalar("SELECT count(*) FROM role_grants") +
               " audit=" + db.scalar("SELECT count(*) FROM audit_log");
    };
    const std::string untouched = "admin,moderator,user,user grants=0 audit=0";
    REQUIRE(state() == untouched);

    auto by_mod = run(db, {"staff", "grant", "person@example.com", "moderator", "--reason", "x", "--as", "mod1@spot.example"});
    REQUIRE(by_mod.exit_code == 77);
    REQUIRE(by_mod.err == "spotctl: error: staff grant is refused for mod1@spot.example: the role is moderator, and this needs an admin\n");
    REQUIRE(state() == untouched);

    auto grant = run(db, {"staff", "grant", "person@example.com", "moderator", "--reason", "support rota", "--as", "admin@spot.example"});
    INFO(grant.err);
    REQUIRE(grant.exit_code == 0);
    REQUIRE(json::parse(grant.out)[0]["new_role"] == "moderator");
    REQUIRE(state() == "admin,moderator,moderator,user grants=1 audit=1");
    REQUIRE(db.scalar("SELECT action || ' ' || subject_id || ' ' || before::text || ' ' || after::text || ' ' || reason FROM audit_log") ==
            "staff.grant 00000000-0000-4000-8000-00000000b001 {\"role\": \"user\"} {\"role\": \"moderator\"} support rota");

    // The roster and the access-review report: the same people, grant and last decision.
    auto list = run(db, {"staff", "list"});
    REQUIRE(list.exit_code == 0);
    auto roster = json::parse(list.out);
    REQUIRE(roster.size() == 3);
    REQUIRE(row_of(roster, "person@example.com")["granted_by"] == "admin@spot.example");
    REQUIRE(row_of(roster, "admin@spot.example")["granted_by"].is_null());  // a role from before role_grants
    auto mod = row_of(roster, "mod1@spot.example");
    REQUIRE(mod["last_decision"] == "rejected");
    REQUIRE(mod["days_since_last_decision"] == 3);
    auto report = run(db, {"report", "run", "access-review"});
    INFO(report.err);
    REQUIRE(report.exit_code == 0);
    REQUIRE(json::parse(report.out)["rows"] == roster);

    // Revoke: back to user, a second audit row. Then the last admin cannot go, by revoke or demotion.
    REQUIRE(run(db, {"staff", "revoke", "person@example.com", "--reason", "left", "--as", "admin@spot.example"}).exit_code == 0);
    REQUIRE(state() == "admin,moderator,user,user grants=2 audit=2");
    REQUIRE(db.scalar("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == "staff.revoke");
    auto last = run(db, {"staff", "revoke", "admin@spot.example", "--reason", "x", "--as", "admin@spot.example"});
    REQUIRE(last.exit_code == 65);
    REQUIRE(last.err.find("last active admin") != std::string::npos);
    REQUIRE(run(db, {"staff", "grant", "admin@spot.example", "moderator", "--reason", "x", "--as", "admin@spot.example"}).exit_code == 65);
    REQUIRE(state() == "admin,moderator,user,user grants=2 audit=2");

    // A banned moderator's role can still be taken away (a grant needs an active account).
    db.conn().exec("UPDATE users SET status = 'banned' WHERE email = 'mod1@spot.example'");
    REQUIRE(run(db, {"staff", "grant", "mod1@spot.example", "admin", "--reason", "x", "--as", "admin@spot.example"}).exit_code == 65);
    REQUIRE(run(db, {"staff", "revoke", "mod1@spot.example", "--reason", "banned", "--as", "admin@spot.example"}).exit_code == 0);
    REQUIRE(state() == "admin,user,user,user grants=3 audit=3");
}

TEST_CASE("coins adjust and redeem go through the ledger with an audit row, never below zero, and show's running balance is the ledger's",
          "[coins]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto state = [&] {
        return db.scalar("SELECT coin_balance::text FROM users WHERE email = 'person@example.com'") + " rows=" +
               db.scalar("SELECT count(*) FROM coin_transactions") + " audit=" + db.scalar("SELECT count(*) FROM audit_log");
    };
    REQUIRE(state() == "40 rows=3 audit=0");

    auto negative = run(db, {"coins", "adjust", "person@example.com", "-41", "--reason", "x", "--as", "mod1@spot.example"});
    REQUIRE(negative.exit_code == 65);
    REQUIRE(negative.err.find("has 40 coins; -41 would leave -1") != std::string::npos);
    REQUIRE(run(db, {"coins", "adjust", "person@example.com", "5", "--reason", "x", "--as", "other@example.com"}).exit_code == 77);
    REQUIRE(state() == "40 rows=3 audit=0");

    auto credit = run(db, {"coins", "adjust", "00000000-0000-4000-8000-00000000b001", "80", "--reason", "goodwill", "--as", "mod1@spot.example"});
    INFO(credit.err);
    REQUIRE(credit.exit_code == 0);
    REQUIRE(state() == "120 rows=4 audit=1");
    auto redeem = run(db, {"coins", "redeem", "person@example.com", "100", "--coupon", "CHG-1", "--as", "mod1@spot.example"});
    INFO(redeem.err);
    REQUIRE(redeem.exit_code == 0);
    REQUIRE(state() == "20 rows=5 audit=2");
    REQUIRE(db.scalar("SELECT action || ' ' || amount || ' ' || (metadata->>'coupon_id') FROM coin_transactions ORDER BY id DESC LIMIT 1") ==
            "redeem -100 CHG-1");
    REQUIRE(db.scalar("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log") == "coins.adjust,coins.redeem");
    REQUIRE(run(db, {"coins", "redeem", "person@example.com", "100", "--as", "mod1@spot.example"}).exit_code == 65);
    REQUIRE(state() == "20 rows=5 audit=2");

    auto show = run(db, {"coins", "show", "person@example.com"});
    REQUIRE(show.exit_code == 0);
    auto ledger = json::parse(show.out);
    REQUIRE(ledger.size() == 5);
    for (const auto& row : ledger) {
        CAPTURE(row.dump());
        // balance_after is the ledger trigger's figure; the sum is plain SQL.
        REQUIRE(std::to_string(row["running_balance"].get<long long>()) ==
                db.scalar("SELECT sum(amount) FROM coin_transactions WHERE user_id = '00000000-0000-4000-8000-00000000b001' AND id <= $1",
                          pg::params(row["id"].get<long long>())));
        REQUIRE(std::to_string(row["running_balance"].get<long long>()) ==
                db.scalar("SELECT balance_after FROM coin_transactions WHERE id = $1", pg::params(row["id"].get<long long>())));
    }
    REQUIRE(ledger.back()["running_balance"] == 20);
}
