// spotctl audit reads the append-only audit_log: filters by actor, subject, action and time; the
// table itself refuses UPDATE, DELETE and TRUNCATE.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/fraud/window.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const char* const fixture = R"SQL(
INSERT INTO users (id, email, role) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'admin'),
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'moderator');
INSERT INTO audit_log (actor_id, actor_email, action, subject_type, subject_id, before, after, reason, at) VALUES
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'moderation.approve', 'moderation_item', 'item-1', '{"status": "open"}', '{"status": "approved"}', 'ok', now() - interval '3 days'),
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'user.suspend', 'user', 'user-1', NULL, '{"status": "suspended"}', 'spam', now() - interval '2 hours'),
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'user.ban', 'user', 'user-2', NULL, NULL, 'fraud', now() - interval '1 hour'),
  (NULL, NULL, 'prune.anonymise', 'user', 'user-1', NULL, NULL, 'retention', now());
)SQL";

std::string ids(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url(), "-o", "json", "audit"};
    full.insert(full.end(), args.begin(), args.end());
    auto r = run_spotctl(full);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string out;
    for (const auto& row : nlohmann::json::parse(r.out)) out += std::to_string(row["id"].get<long long>()) + ",";
    return out;
}

}  // namespace

TEST_CASE("audit lists rows oldest first, filtered by actor, subject, action and time", "[audit]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    REQUIRE(ids(db, {}) == "1,2,3,4,");
    REQUIRE(ids(db, {"--actor", "mod1@spot.example"}) == "1,2,");
    REQUIRE(ids(db, {"--actor", "MOD1@spot.example"}) == "1,2,");
    REQUIRE(ids(db, {"--actor", "00000000-0000-4000-8000-00000000a001"}) == "3,");
    REQUIRE(ids(db, {"--actor", "system"}) == "4,");
    REQUIRE(ids(db, {"--subject", "user-1"}) == "2,4,");
    REQUIRE(ids(db, {"--subject", "moderation_item:item-1"}) == "1,");
    REQUIRE(ids(db, {"--action", "user."}) == "2,3,");
    REQUIRE(ids(db, {"--action", "user.ban"}) == "3,");
    REQUIRE(ids(db, {"--since", "1d"}) == "2,3,4,");
    REQUIRE(ids(db, {"--since", "90m", "--actor", "admin@spot.example"}) == "3,");
    REQUIRE(ids(db, {"--limit", "2"}) == "3,4,");

    auto csv = run_spotctl({"--database-url", db.url(), "-o", "csv", "audit", "--action", "moderation."});
    REQUIRE(csv.exit_code == 0);
    REQUIRE(csv.out.find(",mod1@spot.example,moderation.approve,moderation_item,item-1,ok") != std::string::npos);

    // The table, for people: the change in place of the two images, staff named by e-mail even
    // on a row written without one; -o csv above kept both images.
    REQUIRE(csv.out.find(R"(,"{""status"": ""open""}","{""status"": ""approved""}",)") != std::string::npos);
    db.conn().exec("INSERT INTO audit_log (actor_id, action, subject_type, subject_id, before, after) VALUES "
                   "('00000000-0000-4000-8000-00000000a001', 'user.restore', 'user', 'user-1', "
                   "'{\"role\": \"user\", \"status\": \"suspended\"}', '{\"role\": \"user\", \"status\": \"active\"}')");
    auto table = run_spotctl({"--database-url", db.url(), "audit", "--action", "user.restore"});
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("  change  ") != std::string::npos);
    CHECK(table.out.find("before") == std::string::npos);
    CHECK(table.out.find("admin@spot.example  user.restore") != std::string::npos);
    CHECK(table.out.find("status: suspended → active") != std::string::npos);
    CHECK(table.out.find("role:") == std::string::npos);  // unchanged fields are left out

    auto bad = run_spotctl({"--database-url", db.url(), "audit", "--since", "last tuesday-ish"});
    REQUIRE(bad.exit_code == 64);
    REQUIRE(bad.err.rfind("spotctl: error: --since 'last tuesday-ish' is not a time\n", 0) == 0);
}

TEST_CASE("the audit log refuses UPDATE, DELETE and TRUNCATE, even from its owner", "[audit]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    for (const char* sql : {"UPDATE audit_log SET reason = 'edited' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1", "TRUNCATE audit_log"}) {
        INFO(sql);
        try {
            db.conn().exec(sql);
            FAIL("the statement was accepted");
        } catch (const pg::DbError& e) {
            REQUIRE(e.sqlstate() == "23001");
            REQUIRE(std::string(e.what()).find("audit_log is append-only") != std::string::npos);
        }
    }
    REQUIRE(db.scalar("SELECT count(*) || ',' || string_agg(reason, ',' ORDER BY id) FROM audit_log") == "4,ok,spam,fraud,retention");
}

TEST_CASE("audit --subject user:ID shows a suspension made by a moderation decision, and e-mails and id prefixes name people", "[audit]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(R"SQL(
INSERT INTO users (id, email, role) VALUES
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'moderator'),
  ('7d3f0a12-9b44-4c1e-8f00-00000000b002', 'troll@example.com', 'user'),
  ('7d3f0a99-9b44-4c1e-8f00-00000000b003', 'other@example.com', 'user');
INSERT INTO moderation_items (id, subject_type, subject_id, reason) VALUES
  ('00000000-0000-4000-8000-00000000f005', 'user', '7d3f0a12-9b44-4c1e-8f00-00000000b002', 'abusive reviews');
)SQL");
    auto reject = run_spotctl({"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "moderate", "reject",
                               "00000000-0000-4000-8000-00000000f005", "--reason", "abuse", "--as", "mod1@spot.example"});
    INFO(reject.err);
    REQUIRE(reject.exit_code == 0);
    std::string row = db.scalar("SELECT id FROM audit_log WHERE action = 'moderation.reject'");
    REQUIRE(ids(db, {"--subject", "user:7d3f0a12-9b44-4c1e-8f00-00000000b002"}) == row + ",");
    REQUIRE(ids(db, {"--subject", "user:7d3f0a12"}) == row + ",");           // a unique prefix
    REQUIRE(ids(db, {"--subject", "troll@example.com"}) == row + ",");       // an e-mail names the user
    REQUIRE(ids(db, {"--subject", "user:TROLL@example.com"}) == row + ",");
    REQUIRE(ids(db, {"--subject", "moderation_item:00000000-0000-4000-8000-00000000f005"}) == row + ",");
    REQUIRE(ids(db, {"--subject", "user:7d3f0a99"}).empty());                // the other user: nothing

    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--database-url", db.url(), "audit"});
        return run_spotctl(args);
    };
    auto unknown_subject = run({"--subject", "nobody@example.com"});
    REQUIRE(unknown_subject.exit_code == 65);
    REQUIRE(unknown_subject.err.rfind("spotctl: error: --subject: no user with e-mail 'nobody@example.com'\n", 0) == 0);
    auto unknown_actor = run({"--actor", "nobody@spot.example"});
    REQUIRE(unknown_actor.exit_code == 65);
    REQUIRE(unknown_actor.err.rfind("spotctl: error: --actor: no staff member with e-mail 'nobody@spot.example'\n", 0) == 0);
    auto ambiguous = run({"--subject", "user:7d3f0a"});
    REQUIRE(ambiguous.exit_code == 64);
    REQUIRE(ambiguous.err.find("id prefix '7d3f0a' is ambiguous: 2 users start with it") != std::string::npos);
    REQUIRE(ambiguous.err.find("7d3f0a12-9b44-4c1e-8f00-00000000b002, 7d3f0a99-9b44-4c1e-8f00-00000000b003") != std::string::npos);
    auto none = run({"--subject", "user:ffffff"});
    REQUIRE(none.exit_code == 65);
    REQUIRE(none.err.find("--subject: no user id starts with 'ffffff'") != std::string::npos);
}

TEST_CASE("time: --to includes a date's whole day and excludes an instant, in audit as in fraud scan", "[audit][time]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(R"SQL(
INSERT INTO audit_log (action, subject_type, subject_id, reason, at) VALUES
  ('user.suspend', 'user', 'u1', 'a', '2026-10-31T23:59:59Z'),
  ('user.suspend', 'user', 'u2', 'b', '2026-11-01T00:00:00Z'),
  ('user.suspend', 'user', 'u3', 'c', '2026-11-05T23:00:00Z'),
  ('user.suspend', 'user', 'u4', 'd', '2026-11-30T23:59:59Z'),
  ('user.suspend', 'user', 'u5', 'e', '2026-12-01T00:00:00Z');
)SQL");
    CHECK(ids(db, {"--since", "2026-11-01", "--to", "2026-11-05"}) == "2,3,");
    CHECK(ids(db, {"--from", "2026-11-01", "--to", "2026-11-05T23:00:00Z"}) == "2,");
    CHECK(ids(db, {"--month", "2026-11"}) == "2,3,4,");
    CHECK(ids(db, {"--week", "2026-W45"}) == "3,");  // 2 to 8 November
    CHECK(ids(db, {"--to", "2026-10-31"}) == "1,");

    // fraud scan's window: the same words, the same instants.
    fraud::Window w;
    w.from = "2026-11-01";
    w.to = "2026-11-05";
    auto r = fraud::resolve_window(db.conn(), w);
    CHECK(r.from == "2026-11-01T00:00:00.000000Z");
    CHECK(r.to == "2026-11-06T00:00:00.000000Z");
    w.to = "2026-11-05T23:00:00Z";
    CHECK(fraud::resolve_window(db.conn(), w).to == "2026-11-05T23:00:00.000000Z");

    auto month = run_spotctl({"--database-url", db.url(), "fraud", "scan", "--month", "2026-11", "--dry-run", "-q"});
    CHECK(month.exit_code == 0);
    auto both = run_spotctl({"--database-url", db.url(), "audit", "--month", "2026-11", "--since", "2026-11-02"});
    CHECK(both.exit_code == 64);
    CHECK(both.err.find("excludes") != std::string::npos);
    auto bad = run_spotctl({"--database-url", db.url(), "audit", "--week", "2026-W60"});
    CHECK(bad.exit_code == 64);
    CHECK(bad.err.rfind("spotctl: error: --week '2026-W60' is not an ISO week\n", 0) == 0);
}
