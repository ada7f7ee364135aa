// Finding people: user find by e-mail, name, phone digits or id prefix; user list by status and
// role; user show tells a lapsed suspension from one in force and lists open fraud alerts. And a
// fraud scan that finds nothing says where the data lies.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, phone, role, status, suspended_until) VALUES
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'Mod One', NULL, 'moderator', 'active', NULL),
  ('00000000-0000-4000-8000-00000000b001', 'priya.sharma@example.com', 'Priya Sharma', '+919800000001', 'user', 'suspended', now() - interval '1 day'),
  ('00000000-0000-4000-8000-00000000b002', 'rahul@example.com', 'Rahul Priyadarshi', '+919800000002', 'user', 'suspended', now() + interval '5 days'),
  ('00000000-0000-4000-8000-00000000b003', 'anil@example.com', 'Anil', NULL, 'operator', 'banned', NULL);
INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score, status, reviewer_id, reviewed_at) VALUES
  ('brute_force', 'user', '00000000-0000-4000-8000-00000000b001', now() - interval '2 days', now() - interval '1 day', 0.9, 'open', NULL, NULL),
  ('card_sharing', 'user', '00000000-0000-4000-8000-00000000b001', now() - interval '2 days', now() - interval '1 day', 0.5, 'dismissed',
   '00000000-0000-4000-8000-00000000a002', now());
)SQL";

RunResult run(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url(), "-o", "json"};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

std::string emails(const RunResult& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string out;
    for (const auto& row : nlohmann::json::parse(r.out)) out += row["email"].get<std::string>() + ",";
    return out;
}

}  // namespace

TEST_CASE("user find matches e-mail, name, phone digits or an id prefix, and user list filters by status and role", "[user][find]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    CHECK(emails(run(db, {"user", "find", "PRIYA"})) == "priya.sharma@example.com,rahul@example.com,");  // e-mail and name
    CHECK(emails(run(db, {"user", "find", "rahul@example.com"})) == "rahul@example.com,");
    CHECK(emails(run(db, {"user", "find", "98000-00002"})) == "rahul@example.com,");  // the digits, however written
    CHECK(emails(run(db, {"user", "find", "00000000-0000-4000-8000-00000000b00"})) == "anil@example.com,priya.sharma@example.com,rahul@example.com,");
    auto none = run(db, {"user", "find", "nobody-like-this"});
    CHECK(emails(none).empty());
    CHECK(none.err == "spotctl: no user's e-mail, name, phone or id matches 'nobody-like-this'\n");
    auto short_text = run(db, {"user", "find", "pr"});
    CHECK(short_text.exit_code == 64);
    CHECK(run(db, {"user", "find", "50%_"}).exit_code == 0);  // LIKE wildcards are plain text here

    auto suspended = run(db, {"user", "list", "--status", "suspended"});
    CHECK(emails(suspended) == "priya.sharma@example.com,rahul@example.com,");  // created together: by id
    auto rows = nlohmann::json::parse(suspended.out);
    CHECK(rows[0]["status"] == "suspended (lapsed)");
    CHECK(rows[1]["status"] == "suspended");
    CHECK(emails(run(db, {"user", "list", "--role", "operator"})) == "anil@example.com,");
    CHECK(emails(run(db, {"user", "list", "--status", "banned", "--role", "user"})).empty());
    CHECK(run(db, {"user", "list", "--status", "gone"}).exit_code == 64);
}

TEST_CASE("user show says whether a suspension has lapsed and lists open fraud alerts", "[user][find]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto lapsed = run(db, {"user", "show", "priya.sharma@example.com"});
    INFO(lapsed.err);
    REQUIRE(lapsed.exit_code == 0);
    auto doc = nlohmann::json::parse(lapsed.out);
    CHECK(doc["profile"]["suspension"].get<std::string>().rfind("lapsed at ", 0) == 0);
    REQUIRE(doc["open_fraud_alerts"].size() == 1);  // the dismissed one is not open
    CHECK(doc["open_fraud_alerts"][0]["rule"] == "brute_force");
    auto in_force = nlohmann::json::parse(run(db, {"user", "show", "rahul@example.com"}).out);
    CHECK(in_force["profile"]["suspension"].get<std::string>().rfind("in force until ", 0) == 0);
    CHECK(in_force["open_fraud_alerts"].empty());
    CHECK(nlohmann::json::parse(run(db, {"user", "show", "anil@example.com"}).out)["profile"]["suspension"].is_null());

    // The table form reads identity, status, details, times, then the nested parts.
    auto table = run_spotctl({"--database-url", db.url(), "user", "show", "priya.sharma@example.com"});
    REQUIRE(table.exit_code == 0);
    std::vector<std::size_t> at;
    for (const char* field : {"  id: ", "  email: ", "  name: ", "  phone: ", "  status: ", "  suspension: ", "  role: ",
                              "  created_at: ", "balance:", "open_fraud_alerts:", "moderation:"})
        at.push_back(table.out.find(field));
    INFO(table.out);
    CHECK(at.back() != std::string::npos);
    CHECK(std::is_sorted(at.begin(), at.end()));
}

TEST_CASE("a fraud scan that finds nothing says what the window held and where the data lies", "[fraud][find]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    db.conn().exec("INSERT INTO login_attempts (user_id, email, ip, success, created_at) VALUES "
                   "('00000000-0000-4000-8000-00000000b001', 'priya.sharma@example.com', '10.0.0.1', true, '2026-10-01T08:00:00Z'), "
                   "('00000000-0000-4000-8000-00000000b001', 'priya.sharma@example.com', '10.0.0.1', true, '2026-11-20T21:14:09Z')");
    auto r = run_spotctl({"--database-url", db.url(), "fraud", "scan", "--since", "24h", "--dry-run"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("spotctl: no findings: the window holds 0 login attempts, 0 verifications, 0 payments; "
                     "the data runs from 2026-10-01T08:00:00Z to 2026-11-20T21:14:09Z\n") != std::string::npos);
    auto quiet = run_spotctl({"--database-url", db.url(), "fraud", "scan", "--since", "24h", "--dry-run", "-q"});
    CHECK(quiet.err.empty());

    // A backtest and a report say the same through the same check.
    auto backtest = run_spotctl({"--database-url", db.url(), "fraud", "backtest", "brute_force", "--since", "24h"});
    INFO(backtest.err);
    REQUIRE(backtest.exit_code == 0);
    CHECK(backtest.err.find("the data runs from 2026-10-01T08:00:00Z to 2026-11-20T21:14:09Z\n") != std::string::npos);
    auto report = run_spotctl({"--database-url", db.url(), "report", "run", "revenue", "--from", "2026-09-01", "--to", "2026-09-02"});
    INFO(report.err);
    REQUIRE(report.exit_code == 0);
    CHECK(report.err == "spotctl: no data from 2026-09-01 to 2026-09-02: the window holds 0 payments: the tables read are empty\n");
    auto growth = run_spotctl({"--database-url", db.url(), "report", "run", "growth", "--from", "2026-11-20", "--to", "2026-11-20"});
    CHECK(growth.err.empty());  // a window with rows (the second login) needs no word
}
