// spotctl seed generate against a real PostgreSQL: determinism, constraints, the ledger
// invariant, planted fraud and its ground truth.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sstream>

#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

RunResult generate(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url(), "seed", "generate"};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

// A checksum of every generated table's content, in a stable order.
std::string checksums(TempDatabase& db) {
    std::string out;
    for (const char* table : {"users", "user_sessions", "chargers", "charger_verifications", "charger_photos", "charger_reviews",
                              "coin_transactions", "parking_lots", "parking_slots", "reservations", "payments", "notifications",
                              "profile_changes", "moderation_items", "ip_blacklist", "login_attempts", "spotctl_seed_truth"}) {
        out += table;
        out += "=" + db.scalar(fmt::format("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t", table)) + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("two generates with one seed give identical tables, another seed different ones", "[seed][generate]") {
    TempDatabase a("spotctl_template"), b("spotctl_template"), c("spotctl_template");
    auto ra = generate(a, {"--scale", "1", "--seed", "7"});
    INFO(ra.err);
    REQUIRE(ra.exit_code == 0);
    REQUIRE(generate(b, {"--scale", "1", "--seed", "7"}).exit_code == 0);
    REQUIRE(generate(c, {"--scale", "1", "--seed", "8"}).exit_code == 0);
    std::string sa = checksums(a), sb = checksums(b), sc = checksums(c);
    REQUIRE(sa == sb);
    // Every table differs with another seed (ip_blacklist is fixed by design).
    std::istringstream la(sa), lc(sc);
    std::string x, y;
    int differing = 0;
    while (std::getline(la, x) && std::getline(lc, y)) differing += x != y;
    REQUIRE(differing >= 15);
}

TEST_CASE("generated data keeps every invariant of the platform", "[seed][generate]") {
    TempDatabase db("spotctl_template");
    REQUIRE(generate(db, {"--scale", "1"}).exit_code == 0);
    // Sizes follow the scale.
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "1000");
    REQUIRE(db.scalar("SELECT count(*) FROM chargers") == "200");
    REQUIRE(std::stol(db.scalar("SELECT count(*) FROM login_attempts")) > 90000);
    // The ledger: balances equal sums, running balances never negative.
    REQUIRE(db.scalar("SELECT count(*) FROM users u WHERE coin_balance <> "
                      "(SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions WHERE balance_after < 0") == "0");
    REQUIRE(std::stol(db.scalar("SELECT count(*) FROM coin_transactions WHERE action = 'redeem'")) > 0);
    // No two active reservations of a slot overlap (the exclusion constraint held; check it anyway).
    REQUIRE(db.scalar("SELECT count(*) FROM reservations a JOIN reservations b ON a.slot_id = b.slot_id AND a.id < b.id "
                      "AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at) "
                      "WHERE a.status IN ('pending','confirmed','active') AND b.status IN ('pending','confirmed','active')") == "0");
    // Nobody verifies their own charger; verifications come after the charger existed.
    REQUIRE(db.scalar("SELECT count(*) FROM charger_verifications v JOIN chargers c ON c.id = v.charger_id "
                      "WHERE c.added_by = v.user_id OR v.created_at <= c.created_at") == "0");
    // Timestamps are ordered.
    REQUIRE(db.scalar("SELECT count(*) FROM users WHERE updated_at < created_at OR last_login_at < created_at") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM payments WHERE refunded_at < created_at") == "0");
    // Staff to act as, and open moderation items of every type.
    REQUIRE(std::stol(db.scalar("SELECT count(*) FROM users WHERE role = 'moderator' AND status = 'active'")) >= 3);
    REQUIRE(std::stol(db.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'")) >= 1);
    REQUIRE(db.scalar("SELECT count(DISTINCT subject_type) FROM moderation_items WHERE status = 'open'") == "5");
    // Every constraint still validates when checked again from scratch.
    REQUIRE_NOTHROW(db.conn().exec(R"(
DO $$ DECLARE c record; BEGIN
  FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
            WHERE contype IN ('c', 'f') AND connamespace = 'public'::regnamespace LOOP
    EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.t, c.conname);
  END LOOP;
END $$)"));
}

TEST_CASE("planted fraud is labelled for every rule, with near-misses and look-alikes", "[seed][generate][fraud]") {
    TempDatabase db("spotctl_template");
    REQUIRE(generate(db, {"--scale", "1"}).exit_code == 0);
    for (const char* rule : {"brute_force", "credential_stuffing", "impossible_travel", "verification_velocity", "verification_ring",
                             "self_dealing", "card_sharing", "blacklisted_ip"}) {
        INFO(rule);
        REQUIRE(std::stol(db.scalar("SELECT count(*) FROM spotctl_seed_truth WHERE rule = $1 AND label = 'fraud'", pg::params(rule))) >= 3);
        REQUIRE(std::stol(db.scalar("SELECT count(*) FROM spotctl_seed_truth WHERE rule = $1 AND label <> 'fraud'", pg::params(rule))) >= 3);
    }
    // The brute-force threshold (5 failures for one account in 15 minutes) separates the labels exactly.
    auto flagged = db.scalar(R"(
WITH f AS (SELECT user_id, count(*) OVER (PARTITION BY user_id ORDER BY created_at
                                          RANGE BETWEEN interval '15 minutes' PRECEDING AND CURRENT ROW) AS n
             FROM login_attempts WHERE NOT success AND user_id IS NOT NULL)
SELECT string_agg(DISTINCT user_id::text, ',' ORDER BY user_id::text) FROM f WHERE n >= 5)");
    auto truth = db.scalar("SELECT string_agg(subject_id, ',' ORDER BY subject_id) FROM spotctl_seed_truth "
                           "WHERE rule = 'brute_force' AND label = 'fraud'");
    REQUIRE(flagged == truth);
    // So does the card-sharing threshold (3 accounts on one card within 24 hours).
    auto shared = db.scalar(R"(
SELECT string_agg(DISTINCT a.card_fingerprint, ',' ORDER BY a.card_fingerprint) FROM payments a
 WHERE a.card_fingerprint IS NOT NULL AND (SELECT count(DISTINCT b.user_id) FROM payments b
        WHERE b.card_fingerprint = a.card_fingerprint AND b.created_at BETWEEN a.created_at AND a.created_at + interval '24 hours') >= 3)");
    REQUIRE(shared == db.scalar("SELECT string_agg(subject_id, ',' ORDER BY subject_id) FROM spotctl_seed_truth "
                                "WHERE rule = 'card_sharing' AND subject_type = 'card' AND label = 'fraud'"));
}

TEST_CASE("generate refuses a production database and a non-empty one says how to proceed", "[seed][generate]") {
    TempDatabase db("spotctl_template");
    REQUIRE(run_spotctl({"--database-url", db.url(), "seed", "mark", "--environment", "production"}).exit_code == 0);
    auto refused = generate(db, {"--scale", "1"});
    REQUIRE(refused.exit_code == 77);
    REQUIRE(refused.err.find("refusing to generate data in database") != std::string::npos);
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");

    TempDatabase twice("spotctl_template");
    REQUIRE(generate(twice, {"--scale", "1"}).exit_code == 0);
    auto again = generate(twice, {"--scale", "1"});
    REQUIRE(again.exit_code == 65);
    REQUIRE(again.err.find("spotctl: error: generating users: duplicate key value violates unique constraint \"users_pkey\"") != std::string::npos);
    REQUIRE(again.err.find("spotctl: hint: is the database empty? run 'spotctl seed reset --yes' first") != std::string::npos);
    REQUIRE(twice.scalar("SELECT count(*) FROM users") == "1000");
}

TEST_CASE("generate --only regenerates one table after a reset of it", "[seed][generate]") {
    TempDatabase db("spotctl_template");
    REQUIRE(generate(db, {"--scale", "1", "--seed", "3"}).exit_code == 0);
    std::string before = db.scalar("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT user_id, ip, success, created_at FROM login_attempts) t");
    db.conn().exec("TRUNCATE login_attempts");
    auto r = generate(db, {"--scale", "1", "--seed", "3", "--only", "login_attempts"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (SELECT user_id, ip, success, created_at FROM login_attempts) t") == before);
    auto bad = generate(db, {"--only", "no_such_table"});
    REQUIRE(bad.exit_code == 64);
}

TEST_CASE("seed generate --anchor sets the end of the 90-day activity window, a date or now", "[seed][generate]") {
    // Where the activity falls, in days before the anchor: the newest and the oldest login attempt.
    const std::string days_before = "SELECT round(extract(epoch FROM $1::timestamptz - max(created_at)) / 86400, 1) || ' ' || "
                                    "round(extract(epoch FROM $1::timestamptz - min(created_at)) / 86400, 1) FROM login_attempts";
    auto window = [&](TempDatabase& db, const std::string& anchor) {
        std::string both = db.scalar(days_before, pg::params(anchor));
        return std::make_pair(std::stod(both.substr(0, both.find(' '))), std::stod(both.substr(both.find(' ') + 1)));
    };
    TempDatabase dated("spotctl_template");
    auto r = generate(dated, {"--scale", "1", "--anchor", "2025-03-01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find("anchor 2025-03-01 00:00:00+00") != std::string::npos);
    auto [newest, oldest] = window(dated, "2025-03-01 00:00:00+00");
    REQUIRE(newest >= 0);     // nothing after the anchor
    REQUIRE(newest < 2);      // and activity right up to it
    REQUIRE(oldest <= 91);    // within the window
    REQUIRE(oldest > 60);     // which it fills

    TempDatabase recent("spotctl_template");
    auto now = generate(recent, {"--scale", "1", "--anchor", "now"});
    REQUIRE(now.exit_code == 0);
    auto [newest_now, oldest_now] = window(recent, recent.scalar("SELECT now()"));
    REQUIRE(newest_now >= 0);
    REQUIRE(newest_now < 2);
    REQUIRE(oldest_now <= 91);

    auto bad = generate(recent, {"--anchor", "yesterday"});
    REQUIRE(bad.exit_code == 64);
    REQUIRE(bad.err.rfind("spotctl: error: invalid --anchor 'yesterday'\n", 0) == 0);
}
