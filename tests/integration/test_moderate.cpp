// spotctl moderate against a real PostgreSQL (and the test Redis for the keys of suspended users):
// concurrent claims, racing decisions, what each decision does to its subject, one audit row per
// change and none for a failed one, refusals, and bulk files.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "rulebook/derived_scores.hpp"
#include "rulebook/rewards.hpp"
#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/private_redis.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Staff: admin a001, moderators a002..a009; users b001 (contributor), b002 (reported). A charger,
// a photo, a review and a profile change of b001, each with an open item (f001..f004), plus an
// item about b002 (f005).
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'Admin', 'admin'),
  ('00000000-0000-4000-8000-00000000b001', 'rider@example.com', 'Rider', 'user'),
  ('00000000-0000-4000-8000-00000000b002', 'troll@example.com', 'Troll', 'user');
INSERT INTO users (id, email, name, role)
SELECT ('00000000-0000-4000-8000-00000000a00' || i)::uuid, 'mod' || (i - 1) || '@spot.example', 'Mod ' || (i - 1), 'moderator'
  FROM generate_series(2, 9) i;
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, added_by) VALUES
  ('00000000-0000-4000-8000-00000000c001', 'Charger', '1 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000c002', 'Other', '2 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, NULL);
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url) VALUES
  ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 's3://photos/1.jpg');
INSERT INTO charger_reviews (id, charger_id, user_id, rating, body) VALUES
  ('00000000-0000-4000-8000-00000000d002', '00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 4, 'Fine');
INSERT INTO profile_changes (id, user_id, field, old_value, new_value) VALUES
  ('00000000-0000-4000-8000-00000000d003', '00000000-0000-4000-8000-00000000b001', 'name', 'Rider', 'Rider R.');
INSERT INTO user_sessions (user_id, token_hash, expires_at) VALUES
  ('00000000-0000-4000-8000-00000000b002', md5('s1') || md5('x'), now() + interval '1 day'),
  ('00000000-0000-4000-8000-00000000b002', md5('s2') || md5('x'), now() + interval '1 day');
INSERT INTO moderation_items (id, subject_type, subject_id, reason, reporter_id, created_at) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'charger', '00000000-0000-4000-8000-00000000c001', 'new charger', NULL, now() - interval '5 days'),
  ('00000000-0000-4000-8000-00000000f002', 'photo', '00000000-0000-4000-8000-00000000d001', 'new photo', NULL, now() - interval '4 days'),
  ('00000000-0000-4000-8000-00000000f003', 'review', '00000000-0000-4000-8000-00000000d002', 'new review', NULL, now() - interval '3 days'),
  ('00000000-0000-4000-8000-00000000f004', 'profile_change', '00000000-0000-4000-8000-00000000d003', 'name change', NULL, now() - interval '2 days'),
  ('00000000-0000-4000-8000-00000000f005', 'user', '00000000-0000-4000-8000-00000000b002', 'abusive reviews',
   '00000000-0000-4000-8000-00000000b001', now() - interval '1 day');
)SQL";

std::string item(int n) { return fmt::format("00000000-0000-4000-8000-00000000f00{}", n); }

RunResult run(const TempDatabase& db, std::vector<std::string> args, std::vector<std::string> global = {}) {
    std::vector<std::string> full = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS")};
    full.insert(full.end(), global.begin(), global.end());
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

std::string audit_rows(TempDatabase& db, const std::string& id) {
    return db.scalar("SELECT count(*) FROM audit_log WHERE subject_type = 'moderation_item' AND subject_id = $1", pg::params(id));
}

std::string ledger_mismatches(TempDatabase& db) {
    return db.scalar("SELECT count(*) FROM users u WHERE coin_balance <> "
                     "(SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)");
}

// Everything a decision could change, as one comparable string.
std::string snapshot(TempDatabase& db) {
    return db.scalar(R"(SELECT concat_ws('|',
        (SELECT string_agg(concat_ws(',', status, decided_by, claimed_by), ';' ORDER BY id) FROM moderation_items),
        (SELECT string_agg(concat_ws(',', name, status, coin_balance), ';' ORDER BY id) FROM users),
        (SELECT string_agg(status, ',' ORDER BY id) FROM chargers), (SELECT string_agg(status, ',') FROM charger_photos),
        (SELECT string_agg(status, ',') FROM charger_reviews), (SELECT string_agg(status, ',') FROM profile_changes),
        (SELECT count(*) FROM coin_transactions), (SELECT count(*) FROM notifications),
        (SELECT count(*) FROM user_sessions WHERE revoked_at IS NULL), (SELECT count(*) FROM audit_log)))");
}

}  // namespace

TEST_CASE("eight concurrent claimers take each of a thousand items exactly once", "[moderate][claim]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    db.conn().exec("DELETE FROM moderation_items");
    db.conn().exec("INSERT INTO moderation_items (subject_type, subject_id, reason, created_at) "
                   "SELECT 'charger', gen_random_uuid(), 'bulk ' || i, now() - i * interval '1 second' FROM generate_series(1, 1000) i");
    std::vector<std::vector<std::string>> claimers;
    for (int i = 1; i <= 8; ++i)
        claimers.push_back({"--database-url", db.url(), "-o", "json", "moderate", "claim", "--next", "--count", "200", "--as",
                            fmt::format("mod{}@spot.example", i)});
    // All eight queue behind a lock on the queue's table, then go at once: each must skip the
    // items the others hold (SKIP LOCKED). Run one after another, any claimer would pass.
    auto results = race_behind_lock(db, "LOCK TABLE moderation_items IN EXCLUSIVE MODE", {}, claimers);
    std::multiset<std::string> claimed;
    for (auto& r : results) {
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        for (const auto& row : nlohmann::json::parse(r.out)) claimed.insert(row["id"].get<std::string>());
    }
    REQUIRE(claimed.size() == 1000);
    REQUIRE(std::set<std::string>(claimed.begin(), claimed.end()).size() == 1000);
    REQUIRE(db.scalar("SELECT count(*) FROM moderation_items WHERE status = 'claimed' AND claimed_until > now()") == "1000");
    REQUIRE(db.scalar("SELECT count(DISTINCT subject_id) FROM audit_log WHERE action = 'moderation.claim'") == "1000");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "1000");
    // Nothing is left to claim.
    auto none = run(db, {"moderate", "claim", "--next", "--as", "mod1@spot.example"}, {"-o", "json"});
    REQUIRE(none.exit_code == 0);
    REQUIRE(nlohmann::json::parse(none.out).empty());
}

TEST_CASE("a claimer skips an item another claimer's transaction holds instead of waiting for it", "[moderate][claim]") {
    // Taking each item once does not need SKIP LOCKED (a plain FOR UPDATE re-checks the row after
    // the wait and moves on); not waiting for each other does, and this is what shows it.
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    db.conn().exec("DELETE FROM moderation_items");
    db.conn().exec("INSERT INTO moderation_items (subject_type, subject_id, reason, created_at) "
                   "SELECT 'charger', gen_random_uuid(), 'item ' || i, now() - (10 - i) * interval '1 minute' FROM generate_series(1, 3) i");
    pg::Connection other(pg::Settings{db.url(), "spotctl tests other claimer"});
    // A claimer that waited would wait until this session's idle timeout ends it, then take item 1.
    other.exec("SET idle_in_transaction_session_timeout = '5s'");
    std::optional<pg::Transaction> holding(other.begin());
    holding->exec("SELECT 1 FROM moderation_items WHERE reason = 'item 1' FOR UPDATE");
    auto r = run(db, {"moderate", "claim", "--next", "--as", "mod1@spot.example"}, {"-o", "json"});
    holding.reset();
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto claimed = nlohmann::json::parse(r.out);
    REQUIRE(claimed.size() == 1);
    REQUIRE(claimed[0]["reason"] == "item 2");
}

TEST_CASE("a claim is a lease: a live claim is refused to others, an expired one is open again", "[moderate][claim]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto first = run(db, {"moderate", "claim", "--next", "--as", "mod1@spot.example"}, {"-o", "json"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(nlohmann::json::parse(first.out)[0]["id"] == item(1));  // the oldest
    auto taken = run(db, {"moderate", "claim", item(1), "--as", "mod2@spot.example"});
    REQUIRE(taken.exit_code == 75);
    REQUIRE(taken.err.rfind(fmt::format("spotctl: error: item {} is claimed by mod1@spot.example until ", item(1)), 0) == 0);
    auto decide = run(db, {"moderate", "approve", item(1), "--reason", "ok", "--as", "mod2@spot.example"});
    REQUIRE(decide.exit_code == 75);
    auto release = run(db, {"moderate", "release", item(1), "--as", "mod2@spot.example"});
    REQUIRE(release.exit_code == 77);
    // mod2 skips the claimed item and takes the next one.
    auto second = run(db, {"moderate", "claim", "--next", "--as", "mod2@spot.example"}, {"-o", "json"});
    REQUIRE(nlohmann::json::parse(second.out)[0]["id"] == item(2));

    // The lease runs out: the item is open again (queue) and can be claimed.
    db.conn().exec("UPDATE moderation_items SET claimed_until = now() - interval '1 minute' WHERE id = $1", pg::params(item(1)));
    auto queue = run(db, {"moderate", "queue", "--status", "open"}, {"-o", "json"});
    REQUIRE(nlohmann::json::parse(queue.out)[0]["id"] == item(1));
    auto again = run(db, {"moderate", "claim", "--next", "--claim-for", "1h", "--as", "mod3@spot.example"}, {"-o", "json"});
    INFO(again.err);
    REQUIRE(nlohmann::json::parse(again.out)[0]["id"] == item(1));
    REQUIRE(db.scalar("SELECT concat_ws(',', u.email, m.claimed_until BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes') "
                      "FROM moderation_items m JOIN users u ON u.id = m.claimed_by WHERE m.id = $1",
                      pg::params(item(1))) == "mod3@spot.example,t");
    auto released = run(db, {"moderate", "release", item(1), "--as", "mod3@spot.example"});
    REQUIRE(released.exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM moderation_items WHERE id = $1", pg::params(item(1))) == "open");
    REQUIRE(db.scalar("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE subject_id = $1", pg::params(item(1))) ==
            "moderation.claim,moderation.claim,moderation.release");
}

TEST_CASE("two staff deciding the same item at once: one wins, the other exits 75 and nothing changes", "[moderate][race]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // Both decisions queue up behind a lock on the item, then go together.
    auto results = race_behind_lock(
        db, "SELECT 1 FROM moderation_items WHERE id = $1 FOR UPDATE", pg::params(item(2)),
        {{"--database-url", db.url(), "moderate", "approve", item(2), "--reason", "good photo", "--as", "mod1@spot.example"},
         {"--database-url", db.url(), "moderate", "reject", item(2), "--reason", "blurry", "--as", "mod2@spot.example"}});
    const RunResult& a = results[0];
    const RunResult& r = results[1];
    INFO("approve: " << a.exit_code << " " << a.err << "\nreject: " << r.exit_code << " " << r.err);
    REQUIRE(std::multiset<int>{a.exit_code, r.exit_code} == std::multiset<int>{0, 75});
    const RunResult& loser = a.exit_code == 75 ? a : r;
    std::string winner = a.exit_code == 0 ? "mod1@spot.example" : "mod2@spot.example";
    REQUIRE(loser.err.find(fmt::format("is already decided by {} at ", winner)) != std::string::npos);
    REQUIRE(audit_rows(db, item(2)) == "1");
    std::string photo = db.scalar("SELECT status FROM charger_photos");
    REQUIRE(photo == (a.exit_code == 0 ? "approved" : "rejected"));
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions") == (a.exit_code == 0 ? "1" : "0"));
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("each decision changes its subject as specified and writes exactly one audit row", "[moderate][decide]") {
    struct Case {
        int item;
        const char* decision;
        const char* subject_sql;
        const char* expected;
    };
    const Case cases[] = {
        {1, "approve", "SELECT concat_ws(',', c.status, u.coin_balance, u.trust_score, (SELECT string_agg(action || ':' || amount, ',') FROM coin_transactions)) "
                       "FROM chargers c JOIN users u ON u.id = c.added_by WHERE c.id = '00000000-0000-4000-8000-00000000c001'",
         "active,50,10.00,add_charger:50"},
        {1, "reject", "SELECT status FROM chargers WHERE id = '00000000-0000-4000-8000-00000000c001'", "hidden"},
        {2, "approve", "SELECT concat_ws(',', p.status, u.coin_balance, (SELECT string_agg(action || ':' || amount, ',') FROM coin_transactions)) "
                       "FROM charger_photos p JOIN users u ON u.id = p.uploader_id", "approved,10,upload_photo:10"},
        {2, "reject", "SELECT concat_ws(',', p.status, u.coin_balance, p.reviewed_at IS NOT NULL) FROM charger_photos p JOIN users u ON u.id = p.uploader_id",
         "rejected,0,t"},
        {3, "approve", "SELECT concat_ws(',', r.status, u.coin_balance, (SELECT string_agg(action || ':' || amount, ',') FROM coin_transactions)) "
                       "FROM charger_reviews r JOIN users u ON u.id = r.user_id", "published,10,review:10"},
        {3, "reject", "SELECT status FROM charger_reviews", "removed"},
        {4, "approve", "SELECT concat_ws(',', c.status, u.name) FROM profile_changes c JOIN users u ON u.id = c.user_id", "applied,Rider R."},
        {4, "reject", "SELECT concat_ws(',', c.status, u.name) FROM profile_changes c JOIN users u ON u.id = c.user_id", "discarded,Rider"},
        {5, "approve", "SELECT concat_ws(',', u.status, (SELECT string_agg(template, ',') FROM notifications n WHERE n.user_id = u.id)) "
                       "FROM users u WHERE email = 'troll@example.com'", "active,moderation_warning"},
        {5, "reject", "SELECT concat_ws(',', u.status, u.suspended_until > now() + interval '2 days', "
                      "(SELECT count(*) FROM user_sessions s WHERE s.user_id = u.id AND revoked_at IS NULL)) "
                      "FROM users u WHERE email = 'troll@example.com'", "suspended,t,0"},
        {2, "escalate", "SELECT concat_ws(',', p.status, (SELECT count(*) FROM coin_transactions)) FROM charger_photos p", "pending,0"},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION("item " << c.item << " " << c.decision) {
            TempDatabase db("spotctl_template");
            db.conn().exec(fixture);
            std::vector<std::string> args = {"moderate", c.decision, item(c.item), "--reason", "checked", "--as", "mod1@spot.example"};
            if (std::string(c.decision) == "reject") args.insert(args.end(), {"--suspend-for", "3d"});
            auto r = run(db, args, {"-o", "json"});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            REQUIRE(db.scalar(c.subject_sql) == c.expected);
            std::string status = std::string(c.decision) == "approve" ? "approved" : std::string(c.decision) == "reject" ? "rejected" : "escalated";
            REQUIRE(db.scalar("SELECT concat_ws(',', m.status, u.email, m.decision_note, m.decided_at IS NOT NULL) FROM moderation_items m "
                              "JOIN users u ON u.id = m.decided_by WHERE m.id = $1",
                              pg::params(item(c.item))) == status + ",mod1@spot.example,checked,t");
            REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "1");
            REQUIRE(db.scalar("SELECT concat_ws(',', action, subject_id, actor_email, reason, after->>'status') FROM audit_log") ==
                    fmt::format("moderation.{},{},mod1@spot.example,checked,{}", c.decision, item(c.item), status));
            REQUIRE(ledger_mismatches(db) == "0");
            REQUIRE(nlohmann::json::parse(r.out)[0]["status"] == status);
        }
    }
}

TEST_CASE("approving a charger, photo or review pays the rulebook's reward once, audited, however often it is decided again",
          "[moderate][decide][rulebook]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string rider = "00000000-0000-4000-8000-00000000b001";
    struct Subject {
        int item;
        const char* type;
        const char* id;
        const char* action;
        long coins;
    };
    const Subject subjects[] = {{1, "charger", "00000000-0000-4000-8000-00000000c001", "add_charger", rulebook::add_charger.coins},
                                {2, "photo", "00000000-0000-4000-8000-00000000d001", "upload_photo", rulebook::upload_photo.coins},
                                {3, "review", "00000000-0000-4000-8000-00000000d002", "review", rulebook::review.coins}};
    long expected_balance = 0;
    for (const auto& s : subjects) {
        INFO(s.type);
        auto r = run(db, {"moderate", "approve", item(s.item), "--reason", "fine", "--as", "mod1@spot.example"}, {"-o", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        REQUIRE(nlohmann::json::parse(r.out)[0]["coins"] == s.coins);
        expected_balance += s.coins;
        // One ledger row naming its subject, and the decision's audit row says what was paid.
        REQUIRE(db.scalar("SELECT concat_ws(',', count(*), sum(amount)) FROM coin_transactions WHERE user_id = $1 AND action = $2 "
                          "AND metadata->>'subject_id' = $3",
                          pg::params(rider, std::string(s.action), std::string(s.id))) == fmt::format("1,{}", s.coins));
        REQUIRE(db.scalar("SELECT concat_ws(',', after->'subject'->>'coins', (after->'subject'->>'coin_transaction_id')::bigint = "
                          "(SELECT id FROM coin_transactions WHERE action = $2)) FROM audit_log WHERE subject_id = $1",
                          pg::params(item(s.item), std::string(s.action))) == fmt::format("{},t", s.coins));
    }
    REQUIRE(db.scalar("SELECT coin_balance FROM users WHERE id = $1", pg::params(rider)) == std::to_string(expected_balance));
    // trust_score follows the paid contributions (a review counts for nothing).
    REQUIRE(db.scalar("SELECT trust_score FROM users WHERE id = $1", pg::params(rider)) ==
            fmt::format("{}.00", rulebook::trust_score({1, 0, 1})));

    // Reported again, rejected, reported again and approved: nothing more is paid.
    for (const auto& s : subjects) {
        for (const char* decision : {"reject", "approve", "approve"}) {
            INFO(s.type << " " << decision);
            auto id = db.scalar("INSERT INTO moderation_items (subject_type, subject_id, reason) VALUES ($1, $2::uuid, 'reported') RETURNING id",
                                pg::params(std::string(s.type), std::string(s.id)));
            auto r = run(db, {"moderate", decision, id, "--reason", "again", "--as", "mod2@spot.example"}, {"-o", "json"});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            REQUIRE(nlohmann::json::parse(r.out)[0]["coins"] == 0);
        }
    }
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions") == "3");
    REQUIRE(db.scalar("SELECT coin_balance FROM users WHERE id = $1", pg::params(rider)) == std::to_string(expected_balance));
    REQUIRE(ledger_mismatches(db) == "0");
    // An imported charger (no adder) is approved without a payment.
    auto imported = db.scalar("INSERT INTO moderation_items (subject_type, subject_id, reason) "
                              "VALUES ('charger', '00000000-0000-4000-8000-00000000c002', 'import') RETURNING id");
    db.conn().exec("UPDATE chargers SET status = 'pending' WHERE id = '00000000-0000-4000-8000-00000000c002'");
    REQUIRE(run(db, {"moderate", "approve", imported, "--reason", "ok", "--as", "mod1@spot.example"}).exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions") == "3");
}

TEST_CASE("a demo photo rejected and approved again is not paid twice", "[moderate][decide][rulebook][seed]") {
    TempDatabase db("spotctl_template");
    REQUIRE(run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", std::string(SPOTCTL_SOURCE_DIR) + "/seeds"}).exit_code == 0);
    // An approved demo photo whose reward is in the demo ledger.
    auto photo = db.scalar("SELECT p.id FROM charger_photos p WHERE p.status = 'approved' ORDER BY p.id LIMIT 1");
    auto paid_before = db.scalar("SELECT count(*) FROM coin_transactions WHERE action = 'upload_photo' AND metadata->>'subject_id' = $1",
                                 pg::params(photo));
    REQUIRE(paid_before == "1");
    for (const char* decision : {"reject", "approve"}) {
        auto id = db.scalar("INSERT INTO moderation_items (subject_type, subject_id, reason) VALUES ('photo', $1::uuid, 'reported') RETURNING id",
                            pg::params(photo));
        auto r = run(db, {"moderate", decision, id, "--reason", "checked", "--as", "mod1@spot.example"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }
    REQUIRE(db.scalar("SELECT status FROM charger_photos WHERE id = $1", pg::params(photo)) == "approved");
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions WHERE action = 'upload_photo' AND metadata->>'subject_id' = $1",
                      pg::params(photo)) == "1");
}

TEST_CASE("a refused or failed decision changes nothing and writes no audit row", "[moderate][decide]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    REQUIRE(run(db, {"moderate", "approve", item(2), "--reason", "ok", "--as", "mod1@spot.example"}).exit_code == 0);
    std::string before = snapshot(db);

    auto again = run(db, {"moderate", "reject", item(2), "--reason", "no", "--as", "mod2@spot.example"});
    REQUIRE(again.exit_code == 75);
    REQUIRE(again.err.rfind(fmt::format("spotctl: error: item {} is already decided by mod1@spot.example at ", item(2)), 0) == 0);

    auto user = run(db, {"moderate", "approve", item(1), "--reason", "ok", "--as", "rider@example.com"});
    REQUIRE(user.exit_code == 77);
    REQUIRE(user.err ==
            "spotctl: error: moderate approve is refused for rider@example.com: the role is user, and this needs a moderator or admin\n");
    REQUIRE(run(db, {"moderate", "claim", "--next", "--as", "rider@example.com"}).exit_code == 77);
    REQUIRE(run(db, {"moderate", "approve", item(1), "--reason", "ok", "--as", "nobody@example.com"}).exit_code == 77);
    auto no_actor = run(db, {"moderate", "approve", item(1), "--reason", "ok"});
    REQUIRE(no_actor.exit_code == 64);
    auto unknown = run(db, {"moderate", "approve", "00000000-0000-4000-8000-0000000000ff", "--reason", "ok", "--as", "mod1@spot.example"});
    REQUIRE(unknown.exit_code == 65);
    REQUIRE(unknown.err == "spotctl: error: no moderation item '00000000-0000-4000-8000-0000000000ff'\n");
    REQUIRE(run(db, {"moderate", "approve", "not-a-uuid", "--reason", "ok", "--as", "mod1@spot.example"}).exit_code == 64);
    // A moderator may not suspend staff: rejecting a report about a moderator fails as a whole.
    db.conn().exec("INSERT INTO moderation_items (id, subject_type, subject_id, reason) VALUES "
                   "('00000000-0000-4000-8000-00000000f006', 'user', '00000000-0000-4000-8000-00000000a003', 'rude')");
    before = snapshot(db);
    auto staff = run(db, {"moderate", "reject", item(6), "--reason", "rude", "--as", "mod1@spot.example"});
    REQUIRE(staff.exit_code == 77);
    REQUIRE(snapshot(db) == before);

    // Escalated items wait for an admin.
    REQUIRE(run(db, {"moderate", "escalate", item(3), "--reason", "unsure", "--as", "mod1@spot.example"}).exit_code == 0);
    before = snapshot(db);
    auto mod = run(db, {"moderate", "approve", item(3), "--reason", "fine", "--as", "mod2@spot.example"});
    REQUIRE(mod.exit_code == 77);
    REQUIRE(mod.err.find("only an admin may decide it") != std::string::npos);
    REQUIRE(snapshot(db) == before);
    REQUIRE(run(db, {"moderate", "approve", item(3), "--reason", "fine", "--as", "admin@spot.example"}).exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM charger_reviews") == "published");
    REQUIRE(audit_rows(db, item(3)) == "2");
}

TEST_CASE("bulk checks the whole file first: a bad line changes nothing, exit 65 with file and line", "[moderate][bulk]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    std::string before = snapshot(db);
    auto bad_decision = dir.write("bad.csv", fmt::format("id,decision,reason\n{},approve,ok\n{},maybe,hmm\n{},reject,\"spam, clearly\"\n",
                                                         item(1), item(2), item(3)));
    auto r = run(db, {"moderate", "bulk", "--file", bad_decision.string(), "--as", "mod1@spot.example"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err == fmt::format("spotctl: error: {}:3: invalid decision 'maybe': use approve, reject, escalate, dismiss, warn or suspend\n"
                                 "spotctl: hint: nothing was changed\n",
                                 bad_decision.string()));
    REQUIRE(snapshot(db) == before);

    auto unknown = dir.write("unknown.csv", fmt::format("{},approve,ok\n00000000-0000-4000-8000-0000000000ff,reject,no\n", item(1)));
    r = run(db, {"moderate", "bulk", "--file", unknown.string(), "--as", "mod1@spot.example"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.rfind(fmt::format("spotctl: error: {}:2: no moderation item '00000000-0000-4000-8000-0000000000ff'\n", unknown.string()), 0) == 0);
    REQUIRE(snapshot(db) == before);

    // A good file: checked, applied in one transaction, one audit row per item; a dry run first.
    auto good = dir.write("good.csv", fmt::format("{},approve,ok\n{},approve,nice\n{},reject,spam\n{},approve,fine\n",
                                                  item(1), item(2), item(3), item(4)));
    r = run(db, {"moderate", "bulk", "--file", good.string(), "--dry-run", "--as", "mod1@spot.example"}, {"-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(snapshot(db) == before);
    r = run(db, {"moderate", "bulk", "--file", good.string(), "--as", "mod1@spot.example"}, {"-o", "json"});
    REQUIRE(r.exit_code == 0);
    auto summary = nlohmann::json::parse(r.out);
    REQUIRE(summary.size() == 4);
    REQUIRE(db.scalar("SELECT concat_ws(',', (SELECT status FROM chargers WHERE id = '00000000-0000-4000-8000-00000000c001'), "
                      "(SELECT status FROM charger_photos), (SELECT status FROM charger_reviews), (SELECT name FROM users WHERE email = 'rider@example.com'), "
                      "(SELECT coin_balance FROM users WHERE email = 'rider@example.com'))") == "active,approved,removed,Rider R.,60");  // charger 50 + photo 10
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "4");
    REQUIRE(ledger_mismatches(db) == "0");

    // The same file again: every item is decided now, so nothing changes.
    before = snapshot(db);
    r = run(db, {"moderate", "bulk", "--file", good.string(), "--as", "mod2@spot.example"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find(":1: item " + item(1) + " is already decided by mod1@spot.example at ") != std::string::npos);
    REQUIRE(snapshot(db) == before);
}

TEST_CASE("bulk --continue-on-error applies the lines it can and reports every line", "[moderate][bulk]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    REQUIRE(run(db, {"moderate", "approve", item(3), "--reason", "ok", "--as", "mod2@spot.example"}).exit_code == 0);
    TempDir dir;
    auto file = dir.write("mixed.csv", fmt::format("{},approve,ok\n{},maybe,x\n{},reject,no\n{},approve,nice\n", item(1), item(2), item(3), item(2)));
    auto r = run(db, {"moderate", "bulk", "--file", file.string(), "--continue-on-error", "--as", "mod1@spot.example"}, {"-o", "json"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.find(": 2 of 4 lines failed; the other 2 are applied") != std::string::npos);
    auto report = nlohmann::json::parse(r.out);
    REQUIRE(report.size() == 4);
    std::vector<std::string> results;
    for (const auto& row : report) results.push_back(row["result"].get<std::string>());
    REQUIRE(results == std::vector<std::string>{"applied", "failed", "failed", "applied"});
    REQUIRE(report[2]["message"].get<std::string>().find(":3: item " + item(3) + " is already decided by mod2@spot.example") != std::string::npos);
    REQUIRE(db.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM moderation_items WHERE id IN ($1, $2, $3)",
                      pg::params(item(1), item(2), item(3))) == "approved,approved,approved");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log WHERE actor_email = 'mod1@spot.example'") == "2");
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("queue lists undecided items oldest first with filters, and show gives the item in full", "[moderate][queue]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    REQUIRE(run(db, {"moderate", "escalate", item(3), "--reason", "unsure", "--as", "mod1@spot.example"}).exit_code == 0);
    REQUIRE(run(db, {"moderate", "approve", item(4), "--reason", "ok", "--as", "mod1@spot.example"}).exit_code == 0);
    auto ids = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "queue");
        args.insert(args.begin(), "moderate");
        auto r = run(db, args, {"-o", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::string out;
        for (const auto& row : nlohmann::json::parse(r.out)) out += row["id"].get<std::string>().substr(35) + ",";
        return out;
    };
    REQUIRE(ids({}) == "1,2,3,5,");
    REQUIRE(ids({"--status", "escalated"}) == "3,");
    REQUIRE(ids({"--type", "photo"}) == "2,");
    REQUIRE(ids({"--older-than", "36h"}) == "1,2,3,");
    REQUIRE(ids({"--limit", "2"}) == "1,2,");

    auto show = run(db, {"moderate", "show", item(5)}, {"-o", "json"});
    INFO(show.err);
    REQUIRE(show.exit_code == 0);
    auto doc = nlohmann::json::parse(show.out);
    REQUIRE(doc["item"]["status"] == "open");
    REQUIRE(doc["reporter"]["email"] == "rider@example.com");
    REQUIRE(doc["subject"]["email"] == "troll@example.com");
    REQUIRE(doc["subject"].contains("recent_activity"));
    REQUIRE(doc["subject"].dump().find("password_hash") == std::string::npos);
    auto photo = nlohmann::json::parse(run(db, {"moderate", "show", item(2)}, {"-o", "json"}).out);
    REQUIRE(photo["subject"]["storage_url"] == "s3://photos/1.jpg");
    auto change = nlohmann::json::parse(run(db, {"moderate", "show", item(4)}, {"-o", "json"}).out);
    REQUIRE(change["subject"]["old_value"] == "Rider");
    REQUIRE(change["subject"]["new_value"] == "Rider R.");
    REQUIRE(change["history"].size() == 1);
    REQUIRE(change["history"][0]["action"] == "moderation.approve");
    auto text = run(db, {"moderate", "show", item(1)});
    REQUIRE(text.exit_code == 0);
    REQUIRE(text.out.find("photos:") != std::string::npos);
}

TEST_CASE("bulk --continue-on-error goes line by line when the lines fail together, and leaves out only the failing one", "[moderate][bulk]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // A change to an e-mail another account has: it passes the checks but the UPDATE of users fails.
    db.conn().exec("INSERT INTO profile_changes (id, user_id, field, old_value, new_value) VALUES "
                   "('00000000-0000-4000-8000-00000000d004', '00000000-0000-4000-8000-00000000b002', 'email', 'troll@example.com', 'rider@example.com');"
                   "INSERT INTO moderation_items (id, subject_type, subject_id, reason) VALUES "
                   "('00000000-0000-4000-8000-00000000f006', 'profile_change', '00000000-0000-4000-8000-00000000d004', 'e-mail change')");
    TempDir dir;
    auto file = dir.write("clash.csv", fmt::format("{},approve,ok\n{},approve,fine\n{},approve,nice\n", item(2), item(6), item(1)));
    std::string before = snapshot(db);
    auto all = run(db, {"moderate", "bulk", "--file", file.string(), "--as", "mod1@spot.example"});
    REQUIRE(all.exit_code == 65);
    REQUIRE(snapshot(db) == before);

    auto r = run(db, {"moderate", "bulk", "--file", file.string(), "--continue-on-error", "--as", "mod1@spot.example"}, {"-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 65);
    auto report = nlohmann::json::parse(r.out);
    REQUIRE(report.size() == 3);
    REQUIRE(report[0]["result"] == "applied");
    REQUIRE(report[0]["coins"] == 10);
    REQUIRE(report[1]["result"] == "failed");
    REQUIRE(report[1]["message"].get<std::string>().find("users_email_key") != std::string::npos);
    REQUIRE(report[2]["result"] == "applied");
    REQUIRE(db.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM moderation_items WHERE id IN ($1, $2, $3)",
                      pg::params(item(1), item(2), item(6))) == "approved,approved,open");
    REQUIRE(db.scalar("SELECT concat_ws(',', email, (SELECT status FROM profile_changes WHERE field = 'email')) FROM users "
                      "WHERE id = '00000000-0000-4000-8000-00000000b002'") == "troll@example.com,pending");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "2");
    REQUIRE(db.scalar("SELECT string_agg(action, ',' ORDER BY action) FROM coin_transactions") == "add_charger,upload_photo");
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("fault: bulk killed or cut off mid-transaction changes nothing, and a re-run applies the whole file", "[moderate][bulk][faults]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    auto file = dir.write("decisions.csv", fmt::format("{},approve,ok\n{},approve,nice\n{},reject,spam\n{},approve,fine\n{},approve,warned\n",
                                                       item(1), item(2), item(3), item(4), item(5)));
    const std::vector<std::string> tables = {"moderation_items", "users", "chargers", "charger_photos", "charger_reviews",
                                             "profile_changes", "coin_transactions", "notifications", "user_sessions", "audit_log"};
    std::string before = contents(db, tables);
    std::vector<std::string> args = {"--database-url", db.url(), "moderate", "bulk", "--file", file.string(), "--as", "mod1@spot.example"};
    // The review's row is changed late in the transaction: the items are locked and the photo's
    // coins written by then.
    const std::string lock = "SELECT 1 FROM charger_reviews FOR UPDATE";
    Fault fault = GENERATE(Fault::sigkill, Fault::terminate_backend);
    require_interrupted(interrupt_while_blocked(db, lock, {}, args, fault), fault);
    REQUIRE(contents(db, tables) == before);
    auto again = run_spotctl(args);
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM moderation_items WHERE status IN ('approved', 'rejected')") == "5");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "5");
    REQUIRE(db.scalar("SELECT string_agg(action, ',' ORDER BY action) FROM coin_transactions") == "add_charger,upload_photo");
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("ids: a unique prefix works in show, claim, decisions and release, and an ambiguous one lists the candidates",
          "[moderate][ids]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // Two items whose ids share their first six hex digits.
    db.conn().exec("UPDATE moderation_items SET id = 'a1b2c3d4-0000-4000-8000-000000000001' WHERE id = '" + item(1) + "';"
                   "UPDATE moderation_items SET id = 'a1b2c3ff-0000-4000-8000-000000000002' WHERE id = '" + item(2) + "';");
    auto show = run(db, {"moderate", "show", "a1b2c3d4", "-o", "json"});
    INFO(show.err);
    REQUIRE(show.exit_code == 0);
    REQUIRE(nlohmann::json::parse(show.out)["item"]["id"] == "a1b2c3d4-0000-4000-8000-000000000001");
    REQUIRE(run(db, {"moderate", "show", "A1B2-C3D4"}).exit_code == 64);  // dashes only where a UUID has them
    REQUIRE(run(db, {"moderate", "show", "A1B2C3D4"}).exit_code == 0);    // hex digits in either case

    auto ambiguous = run(db, {"moderate", "approve", "a1b2c3", "--reason", "ok", "--as", "mod1@spot.example"});
    REQUIRE(ambiguous.exit_code == 64);
    REQUIRE(ambiguous.err.rfind("spotctl: error: id: id prefix 'a1b2c3' is ambiguous: 2 moderation items start with it\n", 0) == 0);
    REQUIRE(ambiguous.err.find("candidates: a1b2c3d4-0000-4000-8000-000000000001, a1b2c3ff-0000-4000-8000-000000000002") !=
            std::string::npos);
    auto none = run(db, {"moderate", "show", "ffffffff"});
    REQUIRE(none.exit_code == 65);
    REQUIRE(none.err.rfind("spotctl: error: id: no moderation item id starts with 'ffffffff'\n", 0) == 0);
    auto short_prefix = run(db, {"moderate", "show", "19"});
    REQUIRE(short_prefix.exit_code == 64);
    REQUIRE(short_prefix.err.find("'19' is not an id: give the full id or at least 6 of its first hex digits") != std::string::npos);

    REQUIRE(run(db, {"moderate", "claim", "a1b2c3ff", "--as", "mod1@spot.example"}).exit_code == 0);
    REQUIRE(run(db, {"moderate", "release", "a1b2c3ff", "--as", "mod1@spot.example"}).exit_code == 0);
    auto approve = run(db, {"moderate", "approve", "a1b2c3d4", "--reason", "ok", "--as", "mod1@spot.example"});
    INFO(approve.err);
    REQUIRE(approve.exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM moderation_items WHERE id = 'a1b2c3d4-0000-4000-8000-000000000001'") == "approved");
    // Nothing else was decided, and the audit row names the full id.
    REQUIRE(db.scalar("SELECT count(*) FROM moderation_items WHERE status = 'approved'") == "1");
    REQUIRE(db.scalar("SELECT subject_id FROM audit_log WHERE action = 'moderation.approve'") == "a1b2c3d4-0000-4000-8000-000000000001");
}

TEST_CASE("a decision without an id acts on the caller's one live claim, and none or several is a usage error", "[moderate][ids]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto none = run(db, {"moderate", "approve", "--reason", "ok", "--as", "mod1@spot.example"});
    REQUIRE(none.exit_code == 64);
    REQUIRE(none.err.rfind("spotctl: error: moderate approve: no item id given, and mod1@spot.example holds no live claim\n", 0) == 0);

    auto claim = run(db, {"moderate", "claim", "--next", "--as", "mod1@spot.example"});
    INFO(claim.err);
    REQUIRE(claim.exit_code == 0);
    REQUIRE(claim.out.find("\nsubject:\n") != std::string::npos);  // shown as `show` shows it
    REQUIRE(claim.out.find("\nhistory:") != std::string::npos);
    // Another moderator's claim is not the caller's.
    REQUIRE(run(db, {"moderate", "claim", item(5), "--as", "mod2@spot.example"}).exit_code == 0);
    auto approve = run(db, {"moderate", "approve", "--reason", "ok", "--next", "--as", "mod1@spot.example"});
    INFO(approve.err);
    REQUIRE(approve.exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM moderation_items WHERE id = $1", pg::params(item(1))) == "approved");  // the oldest
    // --next took the following open item for mod1, and shows it.
    REQUIRE(db.scalar("SELECT m.id FROM moderation_items m JOIN users u ON u.id = m.claimed_by "
                      "WHERE m.status = 'claimed' AND u.email = 'mod1@spot.example'") == item(2));
    REQUIRE(approve.out.find("\nsubject:\n") != std::string::npos);

    REQUIRE(run(db, {"moderate", "claim", item(3), "--as", "mod1@spot.example"}).exit_code == 0);
    auto several = run(db, {"moderate", "reject", "--reason", "no", "--as", "mod1@spot.example"});
    REQUIRE(several.exit_code == 64);
    REQUIRE(several.err.find("holds 2 live claims") != std::string::npos);
    REQUIRE(several.err.find(item(2)) != std::string::npos);
    REQUIRE(several.err.find(item(3)) != std::string::npos);
    REQUIRE(run(db, {"moderate", "approve", "--reason", "ok", "--next", "--as", "mod1@spot.example"}, {"-o", "json"}).exit_code == 64);

    auto spaced = run(db, {"moderate", "claim", "--next", "--claim-for", "2", "hours", "--as", "mod1@spot.example"});
    REQUIRE(spaced.exit_code == 64);
    REQUIRE(spaced.err.find("'hours' after --claim-for 2 is read as an argument, not as part of the duration") != std::string::npos);
}

TEST_CASE("claiming one's own live claim again renews the lease, and nobody else may take it meanwhile", "[moderate][claim]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string lease = "SELECT concat_ws(',', m.status, u.email, round(extract(epoch FROM m.claimed_until - now()) / 60)) "
                              "FROM moderation_items m JOIN users u ON u.id = m.claimed_by WHERE m.id = $1";
    auto first = run(db, {"moderate", "claim", item(2), "--claim-for", "10m", "--as", "mod1@spot.example"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(db.scalar(lease, pg::params(item(2))) == "claimed,mod1@spot.example,10");
    auto renewed = run(db, {"moderate", "claim", item(2), "--claim-for", "2h", "--as", "mod1@spot.example"}, {"-o", "json"});
    INFO(renewed.err);
    REQUIRE(renewed.exit_code == 0);
    REQUIRE(nlohmann::json::parse(renewed.out)[0]["id"] == item(2));
    REQUIRE(db.scalar(lease, pg::params(item(2))) == "claimed,mod1@spot.example,120");
    REQUIRE(db.scalar("SELECT string_agg(concat_ws(',', action, before->>'status', after->>'status'), ';' ORDER BY id) FROM audit_log") ==
            "moderation.claim,open,claimed;moderation.claim,claimed,claimed");
    auto other = run(db, {"moderate", "claim", item(2), "--as", "mod2@spot.example"});
    REQUIRE(other.exit_code == 75);
    REQUIRE(db.scalar(lease, pg::params(item(2))) == "claimed,mod1@spot.example,120");
}

TEST_CASE("escalated items are not claimable: by id exit 65, claim --next passes them by", "[moderate][claim]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    REQUIRE(run(db, {"moderate", "escalate", item(1), "--reason", "unsure", "--as", "mod1@spot.example"}).exit_code == 0);
    const std::string state = "SELECT concat_ws(',', status, claimed_by, claimed_until) FROM moderation_items WHERE id = $1";
    for (const char* actor : {"mod2@spot.example", "admin@spot.example"}) {
        auto r = run(db, {"moderate", "claim", item(1), "--as", actor});
        INFO(actor << ": " << r.err);
        REQUIRE(r.exit_code == 65);
        REQUIRE(r.err.rfind(fmt::format("spotctl: error: item {} was escalated by mod1@spot.example at ", item(1)), 0) == 0);
        REQUIRE(r.err.find(": escalated items are decided by an admin, not claimed\n") != std::string::npos);
        REQUIRE(db.scalar(state, pg::params(item(1))) == "escalated");
    }
    // item 1 is the oldest: --next would take it first, were it claimable.
    auto next = run(db, {"moderate", "claim", "--next", "--count", "10", "--as", "admin@spot.example"}, {"-o", "json"});
    INFO(next.err);
    REQUIRE(next.exit_code == 0);
    std::vector<std::string> ids;
    for (const auto& row : nlohmann::json::parse(next.out)) ids.push_back(row["id"]);
    REQUIRE(ids == std::vector<std::string>{item(2), item(3), item(4), item(5)});
    REQUIRE(db.scalar(state, pg::params(item(1))) == "escalated");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log WHERE subject_id = $1", pg::params(item(1))) == "1");
}

TEST_CASE("bulk refuses a file that lists an item twice, naming both lines, and changes nothing", "[moderate][bulk]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    std::string before = snapshot(db);
    auto file = dir.write("twice.csv", fmt::format("id,decision,reason\n{},approve,ok\n{},approve,fine\n{},reject,changed my mind\n",
                                                   item(2), item(3), item(2)));
    auto r = run(db, {"moderate", "bulk", "--file", file.string(), "--as", "mod1@spot.example"});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err == fmt::format("spotctl: error: {}:4: item {} is also on line 2\nspotctl: hint: nothing was changed\n", file.string(), item(2)));
    REQUIRE(snapshot(db) == before);
    // With --continue-on-error the second mention fails and the first is applied.
    auto partial = run(db, {"moderate", "bulk", "--file", file.string(), "--continue-on-error", "--as", "mod1@spot.example"}, {"-o", "json"});
    REQUIRE(partial.exit_code == 65);
    auto report = nlohmann::json::parse(partial.out);
    REQUIRE(report.size() == 3);
    REQUIRE(report[2]["result"] == "failed");
    REQUIRE(report[2]["message"].get<std::string>().find(":4: item " + item(2) + " is also on line 2") != std::string::npos);
    REQUIRE(db.scalar("SELECT status FROM charger_photos") == "approved");
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions WHERE action = 'upload_photo'") == "1");
}

TEST_CASE("a photo paid for once is not paid again when bulk rejects and then approves it", "[moderate][bulk][rulebook]") {
    // bulk pays with its own set-based statement: it must honour the once-per-subject rule too.
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string photo = "00000000-0000-4000-8000-00000000d001";
    const std::string paid = "SELECT concat_ws(',', count(*), sum(amount)) FROM coin_transactions WHERE action = 'upload_photo' "
                             "AND metadata->>'subject_id' = '00000000-0000-4000-8000-00000000d001'";
    auto first = run(db, {"moderate", "approve", item(2), "--reason", "clear", "--as", "mod1@spot.example"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(db.scalar(paid) == "1,10");
    TempDir dir;
    for (const char* decision : {"reject", "approve"}) {
        INFO(decision);
        // Reported again: the servers open a new item once the last one is decided.
        auto id = db.scalar("INSERT INTO moderation_items (subject_type, subject_id, reason) VALUES ('photo', $1::uuid, 'reported') RETURNING id",
                            pg::params(photo));
        auto file = dir.write(std::string(decision) + ".csv", fmt::format("{},{},checked\n", id, decision));
        auto r = run(db, {"moderate", "bulk", "--file", file.string(), "--as", "mod2@spot.example"}, {"-o", "json"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        REQUIRE(db.scalar("SELECT status FROM moderation_items WHERE id = $1", pg::params(id)) == (std::string(decision) == "reject" ? "rejected" : "approved"));
    }
    REQUIRE(db.scalar("SELECT status FROM charger_photos") == "approved");
    REQUIRE(db.scalar(paid) == "1,10");
    REQUIRE(db.scalar("SELECT coin_balance FROM users WHERE email = 'rider@example.com'") == "10");
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("Redis unreachable after rejecting a reported user: exit 75 with the way to finish, the decision and suspension kept",
          "[moderate][redis]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string troll = "00000000-0000-4000-8000-00000000b002";
    PrivateRedis redis;
    redis.stop();
    auto r = run_spotctl({"--database-url", db.url(), "--redis-url", redis.url(), "moderate", "reject", item(5), "--reason", "abusive",
                          "--suspend-for", "3d", "--as", "mod1@spot.example"});
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.rfind(fmt::format("spotctl: error: the change to user {} is saved, but its cache keys were not removed: ", troll), 0) == 0);
    REQUIRE(r.err.find(fmt::format("\nspotctl: hint: the servers may serve stale data until the keys expire; "
                                   "run `spotctl cache invalidate --user {}`\n", troll)) != std::string::npos);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, suspended_until > now() + interval '2 days') FROM users WHERE id = $1",
                      pg::params(troll)) == "suspended,t");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(troll)) == "0");
    REQUIRE(db.scalar("SELECT status FROM moderation_items WHERE id = $1", pg::params(item(5))) == "rejected");
    REQUIRE(audit_rows(db, item(5)) == "1");
}

namespace {

// Every row a decision could change, keyed by table and subject ("users/<id>:<md5 of the row>";
// sessions and notifications by their user): the difference before and after a decision is
// what it changed.
std::set<std::string> world(TempDatabase& db) {
    auto all = db.scalar(R"(SELECT string_agg(k, '|') FROM (
        SELECT 'users/' || id || ':' || md5(t::text) AS k FROM users t
        UNION ALL SELECT 'chargers/' || id || ':' || md5(t::text) FROM chargers t
        UNION ALL SELECT 'charger_photos/' || id || ':' || md5(t::text) FROM charger_photos t
        UNION ALL SELECT 'charger_reviews/' || id || ':' || md5(t::text) FROM charger_reviews t
        UNION ALL SELECT 'profile_changes/' || id || ':' || md5(t::text) FROM profile_changes t
        UNION ALL SELECT 'user_sessions/' || user_id || ':' || md5(t::text) FROM user_sessions t
        UNION ALL SELECT 'notifications/' || user_id || ':' || md5(t::text) FROM notifications t
        UNION ALL SELECT 'coin_transactions/' || user_id || ':' || md5(t::text) FROM coin_transactions t) x)");
    std::set<std::string> out;
    for (std::size_t at = 0; at < all.size();) {
        auto end = all.find('|', at);
        if (end == std::string::npos) end = all.size();
        out.insert(all.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// The keys ("users/<id>") of the rows that differ between two worlds.
std::set<std::string> changed(const std::set<std::string>& before, const std::set<std::string>& after) {
    std::set<std::string> keys;
    for (const auto* side : {&before, &after})
        for (const auto& row : *side)
            if (!(side == &before ? after : before).count(row)) keys.insert(row.substr(0, row.find(':')));
    return keys;
}

// Three more reported users (b003, b004 with a session) and two reported live chargers.
const char* const reports_fixture = R"SQL(
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-00000000b003', 'loud@example.com', 'Loud', 'user'),
  ('00000000-0000-4000-8000-00000000b004', 'spam@example.com', 'Spam', 'user');
INSERT INTO user_sessions (user_id, token_hash, expires_at) VALUES
  ('00000000-0000-4000-8000-00000000b004', md5('s3') || md5('x'), now() + interval '1 day');
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, status) VALUES
  ('00000000-0000-4000-8000-00000000c003', 'Mall', '3 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, 'active');
UPDATE chargers SET status = 'active' WHERE id = '00000000-0000-4000-8000-00000000c002';
INSERT INTO moderation_items (id, subject_type, subject_id, reason, reporter_id) VALUES
  ('00000000-0000-4000-8000-00000000f006', 'user', '00000000-0000-4000-8000-00000000b003', 'rude', '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000f007', 'user', '00000000-0000-4000-8000-00000000b004', 'spam', '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000f008', 'charger', '00000000-0000-4000-8000-00000000c002', 'pin is wrong', '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000f009', 'charger', '00000000-0000-4000-8000-00000000c003', 'looks closed', '00000000-0000-4000-8000-00000000b001');
)SQL";

}  // namespace

TEST_CASE("dismiss, warn, suspend and correct change exactly their subject and write one audit row each, and refuse other subjects",
          "[moderate][decide]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    db.conn().exec(reports_fixture);
    const std::vector<std::string> as = {"--reason", "checked", "--as", "mod1@spot.example"};
    auto args = [&](std::vector<std::string> a) {
        a.insert(a.begin(), "moderate");
        a.insert(a.end(), as.begin(), as.end());
        return a;
    };

    SECTION("refusals: exit 64, nothing changed") {
        auto before = snapshot(db);
        auto world_before = world(db);
        auto warn_photo = run(db, args({"warn", item(2)}));
        REQUIRE(warn_photo.exit_code == 64);
        REQUIRE_THAT(warn_photo.err, Catch::Contains("moderate warn applies to a reported user, and item " + item(2) + " is about a photo"));
        auto correct_pending = run(db, args({"correct", item(1), "--address", "4 Road"}));
        REQUIRE(correct_pending.exit_code == 64);
        REQUIRE_THAT(correct_pending.err, Catch::Contains("new charger still pending"));
        auto half_position = run(db, args({"correct", item(8), "--lat", "18.6"}));
        REQUIRE(half_position.exit_code == 64);
        REQUIRE_THAT(half_position.err, Catch::Contains("--lat given without --lon"));
        REQUIRE(snapshot(db) == before);
        REQUIRE(world(db) == world_before);
    }

    SECTION("each decision") {
        const std::string b002 = "00000000-0000-4000-8000-00000000b002", b004 = "00000000-0000-4000-8000-00000000b004";
        struct Case {
            int item;
            std::vector<std::string> args;
            std::set<std::string> changes;  // world keys
            const char* item_status;
            const char* subject_sql;  // the subject after, $1 the item's subject id
            const char* subject;
        };
        const Case cases[] = {
            {5, {"dismiss", item(5)}, {}, "approved", "SELECT status FROM users WHERE id = $1", "active"},
            {9, {"dismiss", item(9)}, {}, "approved", "SELECT status FROM chargers WHERE id = $1", "active"},
            {6, {"warn", item(6)}, {"notifications/00000000-0000-4000-8000-00000000b003"}, "approved",
             "SELECT concat_ws(',', u.status, n.template) FROM users u JOIN notifications n ON n.user_id = u.id WHERE u.id = $1",
             "active,moderation_warning"},
            {7, {"suspend", item(7), "--suspend-for", "3d"}, {"users/" + b004, "user_sessions/" + b004}, "rejected",
             "SELECT concat_ws(',', status, suspended_until > now() + interval '2 days', "
             "(SELECT count(*) FROM user_sessions s WHERE s.user_id = u.id AND revoked_at IS NULL)) FROM users u WHERE id = $1",
             "suspended,t,0"},
            {8, {"correct", item(8), "--lat", "18.52", "--lon", "73.85", "--address", "P2, 2 Road"},
             {"chargers/00000000-0000-4000-8000-00000000c002"}, "approved",
             "SELECT concat_ws(',', status, latitude, longitude, address, name) FROM chargers WHERE id = $1",
             "active,18.52,73.85,P2, 2 Road,Other"},
        };
        for (const auto& c : cases) {
            auto audit_before = db.scalar("SELECT count(*) FROM audit_log");
            auto world_before = world(db);
            auto r = run(db, args(c.args));
            INFO(c.args[0] << " " << r.err);
            REQUIRE(r.exit_code == 0);
            REQUIRE(changed(world_before, world(db)) == c.changes);
            auto subject_id = db.scalar("SELECT subject_id FROM moderation_items WHERE id = $1", pg::params(item(c.item)));
            REQUIRE(db.scalar(c.subject_sql, pg::params(subject_id)) == c.subject);
            REQUIRE(db.scalar("SELECT concat_ws(',', status, decision_note) FROM moderation_items WHERE id = $1", pg::params(item(c.item))) ==
                    std::string(c.item_status) + ",checked");
            REQUIRE(std::stoll(db.scalar("SELECT count(*) FROM audit_log")) == std::stoll(audit_before) + 1);
            REQUIRE(db.scalar("SELECT concat_ws(',', action, actor_email, after->>'status') FROM audit_log WHERE subject_id = $1",
                              pg::params(item(c.item))) == fmt::format("moderation.{},mod1@spot.example,{}", c.args[0], c.item_status));
        }
        // The correction is audited from the old values to the new.
        REQUIRE(db.scalar("SELECT concat_ws(' -> ', before->'subject'->>'address', after->'subject'->>'address') FROM audit_log "
                          "WHERE action = 'moderation.correct'") == "2 Road -> P2, 2 Road");
        REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(b002)) == "2");
        // undo takes a correction back like any decision.
        auto undo = run(db, {"moderate", "undo", item(8), "--as", "mod1@spot.example"});
        INFO(undo.err);
        REQUIRE(undo.exit_code == 0);
        REQUIRE(db.scalar("SELECT concat_ws(',', latitude, longitude, address) FROM chargers WHERE id = '00000000-0000-4000-8000-00000000c002'") ==
                "18.5,73.8,2 Road");
    }
}
