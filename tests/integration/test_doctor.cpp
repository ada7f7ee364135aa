// spotctl doctor against a real PostgreSQL and a Redis of its own: the demo data and generated
// data pass every check; each check, given exactly its corruption (triggers bypassed where the
// schema would refuse it), names the right ids and exits 1; its repair (where one is safe)
// leaves every check passing and every unrelated table as it was.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/harness.hpp"
#include "support/replica.hpp"
#include "support/interrupt.hpp"
#include "support/private_redis.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";
const std::string admin = "admin@spot.example";
// The demo data set's clock (seeds/README.md): time-based checks judge it as of then.
const std::string demo_clock = "2026-11-19T12:00:00Z";

struct Platform {
    TempDatabase db{"spotctl_template"};
    PrivateRedis redis;

    Platform() {
        auto r = run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", demo_seeds});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }

    RunResult doctor(std::vector<std::string> args, bool at_demo_clock = true) {
        std::vector<std::string> full = {"--database-url", db.url(), "--redis-url", redis.url(), "doctor"};
        if (at_demo_clock) full.insert(full.end(), {"--at", demo_clock});
        full.insert(full.end(), args.begin(), args.end());
        return run_spotctl(full, {{"SPOTCTL_MIGRATIONS_DIR", std::string(SPOTCTL_SOURCE_DIR) + "/migrations"}});
    }

    // The check's JSON entry, from a run of that check alone.
    nlohmann::json check(const std::string& name) {
        auto r = doctor({"--check", name, "-o", "json"});
        INFO(r.err);
        REQUIRE((r.exit_code == 0 || r.exit_code == 1));
        auto doc = nlohmann::json::parse(r.out);
        REQUIRE(doc["checks"].size() == 1);
        REQUIRE(doc["exit_code"] == r.exit_code);
        return doc["checks"][0];
    }

    // Doctor names exactly `ids` for `name`, and exits 1.
    void expect_found(const std::string& name, std::vector<std::string> ids) {
        auto c = check(name);
        std::sort(ids.begin(), ids.end());
        INFO(c.dump());
        CHECK(c["status"] == (ids.empty() ? "ok" : "fail"));
        CHECK(c["rows"] == ids.size());
        CHECK(c["sample"].get<std::vector<std::string>>() == ids);
    }

    void repair(const std::string& name) {
        auto r = doctor({"--repair", name, "--yes", "--as", admin});
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }

    // Every check passes (amcheck may be skipped where it cannot be created).
    void expect_all_pass() {
        auto r = doctor({"-o", "json"});
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        // Named first: a range-for over a member of a temporary reads freed memory (ASan found it).
        const auto doc = nlohmann::json::parse(r.out);
        for (const auto& c : doc["checks"]) CHECK(c["status"] != "fail");
    }

    // A digest of every platform table but `except`.
    std::string digest(const std::set<std::string>& except) {
        std::string out;
        auto tables = db.conn().exec(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1");
        for (const auto& t : tables) {
            std::string name = t.str(0);
            if (except.contains(name)) continue;
            out += name + "=" + db.scalar(fmt::format("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t", name)) + "\n";
        }
        return out;
    }

    // As the schema would never allow: triggers (and with them foreign keys) off for `sql`.
    void bypass(const std::string& sql) { db.conn().exec("SET session_replication_role = replica; " + sql + "; RESET session_replication_role"); }
};

// A user of the demo data with ledger rows: the one with the most.
std::string busy_user(Platform& p) {
    return p.db.scalar("SELECT user_id FROM coin_transactions GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1");
}

}  // namespace

TEST_CASE("doctor: the demo data passes every check, and --list describes them all", "[doctor]") {
    Platform p;
    auto r = p.doctor({"-o", "json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto doc = nlohmann::json::parse(r.out);
    std::set<std::string> names;
    for (const auto& c : doc["checks"]) {
        names.insert(c["name"].get<std::string>());
        CHECK(c["status"] != "fail");
    }
    for (const char* n : {"ledger_balance", "ledger_chain", "ledger_negative", "reward_orphans", "reward_duplicates", "verification_levels",
                          "trust_scores", "expired_suspensions", "stale_claims", "moderation_subjects", "fraud_alert_subjects",
                          "audit_subjects", "dead_sessions", "keys_without_ttl", "stale_charger_cache", "schema_drift", "invalid_indexes",
                          "sequence_capacity", "btree_corruption"})
        CHECK(names.contains(n));
    // schema_drift really compared (the test server lets it create a scratch database).
    for (const auto& c : doc["checks"])
        if (c["name"] == "schema_drift") CHECK(c["status"] == "ok");

    auto list = p.doctor({"--list"});
    REQUIRE(list.exit_code == 0);
    for (const auto& n : names) CHECK(list.out.find(n) != std::string::npos);
    auto table = p.doctor({});
    REQUIRE(table.exit_code == 0);
    CHECK(table.out.find("OK: 19 check(s), 0 found problems") != std::string::npos);

    // As of the real clock (after the demo's 2026-12-03), user 9's suspension has ended and the
    // claim on item 13 ran out long ago.
    auto today = p.doctor({"--check", "expired_suspensions", "--check", "stale_claims", "-o", "json"}, false);
    CHECK(today.exit_code == 1);
    auto checks = nlohmann::json::parse(today.out)["checks"];
    CHECK(checks[0]["sample"] == nlohmann::json::array({"00000000-0000-4000-8000-000000000009"}));
    CHECK(checks[1]["sample"] == nlohmann::json::array({"0000000c-0000-4000-8000-000000000013"}));
}

TEST_CASE("doctor: data of seed generate at scale 1 passes every check", "[doctor][generate]") {
    TempDatabase db("spotctl_template");
    PrivateRedis redis;
    auto g = run_spotctl({"--database-url", db.url(), "seed", "generate", "--scale", "1", "--anchor", "now"});
    INFO(g.err);
    REQUIRE(g.exit_code == 0);
    auto r = run_spotctl({"--database-url", db.url(), "--redis-url", redis.url(), "doctor", "-o", "json"},
                         {{"SPOTCTL_MIGRATIONS_DIR", std::string(SPOTCTL_SOURCE_DIR) + "/migrations"}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

TEST_CASE("doctor: usage errors are 64 and name what is wrong", "[doctor]") {
    Platform p;
    auto r = p.doctor({"--check", "ledger_balanse"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("unknown check 'ledger_balanse'") != std::string::npos);
    CHECK(r.err.find("ledger_balance") != std::string::npos);  // the known names
    auto no_repair = p.doctor({"--repair", "audit_subjects", "--yes", "--as", admin});
    CHECK(no_repair.exit_code == 64);
    CHECK(no_repair.err.find("no safe repair") != std::string::npos);
    auto nagios = p.doctor({"-o", "nagios", "--check", "ledger_balance"});
    CHECK(nagios.exit_code == 0);
    CHECK(nagios.out.starts_with("SPOTCTL OK - 1 of 1 probes OK |"));
    CHECK(nagios.out.find("'doctor_ledger_balance_rows'=0") != std::string::npos);
}

TEST_CASE("doctor: a balance that is not the ledger sum is reconciled by an audited adjustment", "[doctor][ledger]") {
    Platform p;
    std::string user = busy_user(p);
    std::string balance = p.db.scalar("SELECT coin_balance FROM users WHERE id = $1", pg::params(user));
    p.bypass(fmt::format("UPDATE users SET coin_balance = coin_balance + 7 WHERE id = '{}'", user));
    std::string before = p.digest({"users", "coin_transactions", "audit_log"});
    p.expect_found("ledger_balance", {user});
    auto nagios = p.doctor({"-o", "nagios"});
    CHECK(nagios.exit_code == 1);
    CHECK(nagios.out.find("doctor ledger_balance WARNING") != std::string::npos);

    auto dry = p.doctor({"--repair", "ledger_balance", "--dry-run"});
    CHECK(dry.exit_code == 0);
    p.expect_found("ledger_balance", {user});  // a dry run changes nothing

    p.repair("ledger_balance");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT coin_balance FROM users WHERE id = $1", pg::params(user)) == std::to_string(std::stoll(balance) + 7));
    CHECK(p.db.scalar("SELECT amount || ' ' || balance_after FROM coin_transactions WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
                      pg::params(user)) == fmt::format("7 {}", std::stoll(balance) + 7));
    CHECK(p.db.scalar("SELECT count(*) FROM audit_log WHERE action = 'doctor.repair.ledger' AND subject_id = $1 AND actor_email = $2",
                      pg::params(user, admin)) == "1");
    CHECK(p.digest({"users", "coin_transactions", "audit_log"}) == before);
    // Idempotent: a second run finds nothing and writes nothing.
    p.repair("ledger_balance");
    CHECK(p.db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'doctor.%'") == "1");
}

TEST_CASE("doctor: a deleted ledger row breaks the chain after it, and the reconciliation compensates it", "[doctor][ledger]") {
    Platform p;
    std::string user = busy_user(p);
    // A redeem with later rows (so the chain breaks), not a reward (so trust stays as it is).
    std::string row = p.db.scalar(R"(SELECT t.id FROM coin_transactions t WHERE t.user_id = $1 AND t.action IN ('redeem', 'adjustment')
  AND EXISTS (SELECT 1 FROM coin_transactions l WHERE l.user_id = t.user_id AND l.id > t.id) ORDER BY t.id LIMIT 1)",
                                  pg::params(user));
    REQUIRE(!row.empty());
    std::vector<std::string> later;
    for (const auto& r : p.db.conn().exec("SELECT id::text FROM coin_transactions WHERE user_id = $1 AND id > $2::bigint", pg::params(user, row)))
        later.push_back(r.str(0));
    p.bypass(fmt::format("DELETE FROM coin_transactions WHERE id = {}", row));
    std::string before = p.digest({"users", "coin_transactions", "audit_log"});
    p.expect_found("ledger_chain", later);
    p.expect_found("ledger_balance", {user});
    p.repair("ledger_chain");
    p.expect_all_pass();
    auto compensates = nlohmann::json::parse(p.db.scalar(
        "SELECT metadata->'compensates' FROM coin_transactions WHERE user_id = $1 AND metadata ? 'doctor_reconciliation'", pg::params(user)));
    CHECK(compensates.size() == later.size());
    CHECK(p.digest({"users", "coin_transactions", "audit_log"}) == before);
}

TEST_CASE("doctor: a balance_after changed behind the trigger, with the sum intact, is left for a person", "[doctor][ledger]") {
    Platform p;
    std::string user = busy_user(p);
    std::string row = p.db.scalar("SELECT min(id) FROM coin_transactions WHERE user_id = $1", pg::params(user));
    p.bypass(fmt::format("UPDATE coin_transactions SET balance_after = balance_after + 1 WHERE id = {}", row));
    p.expect_found("ledger_chain", {row});
    p.expect_found("ledger_balance", {});
    auto r = p.doctor({"--repair", "ledger_chain", "--yes", "--as", admin});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // nothing a compensating row can say: the row stays named
    p.expect_found("ledger_chain", {row});
    CHECK(p.db.scalar("SELECT count(*) FROM coin_transactions WHERE metadata ? 'doctor_reconciliation'") == "0");
}

TEST_CASE("doctor: a ledger that goes below zero is named, and its reconciliation ends it", "[doctor][ledger]") {
    Platform p;
    std::string user = busy_user(p);
    p.bypass(fmt::format("INSERT INTO coin_transactions (user_id, action, amount, balance_after) "
                         "SELECT id, 'redeem', -(coin_balance + 5), 0 FROM users WHERE id = '{}'",
                         user));
    p.expect_found("ledger_negative", {user});
    auto no_repair = p.doctor({"--repair", "ledger_negative", "--yes", "--as", admin});
    CHECK(no_repair.exit_code == 64);
    p.repair("ledger_balance");
    p.expect_all_pass();
}

TEST_CASE("doctor: a reward for a subject that does not exist is named, and a person reverses it", "[doctor][rewards]") {
    Platform p;
    std::string user = busy_user(p);
    std::string id = p.db.scalar(R"(INSERT INTO coin_transactions (user_id, action, amount, metadata)
VALUES ($1, 'review', 10, '{"subject_id": "00000000-0000-4000-8000-00000000dead"}') RETURNING id)",
                                 pg::params(user));
    p.expect_found("reward_orphans", {id});
    p.db.conn().exec("INSERT INTO coin_transactions (user_id, action, amount, reverses_id) VALUES ($1, 'reversal', -10, $2::bigint)",
                     pg::params(user, id));
    p.expect_all_pass();
}

TEST_CASE("doctor: a subject paid twice is named, and the repair reverses the later payment", "[doctor][rewards]") {
    Platform p;
    auto paid = p.db.conn().exec("SELECT user_id::text, metadata::text FROM coin_transactions WHERE action = 'review' ORDER BY id LIMIT 1");
    REQUIRE(paid.size() == 1);
    std::string user = paid[0].str(0);
    std::string id = p.db.scalar("INSERT INTO coin_transactions (user_id, action, amount, metadata) VALUES ($1, 'review', 10, $2::jsonb) RETURNING id",
                                 pg::params(user, paid[0].str(1)));
    std::string before = p.digest({"users", "coin_transactions", "audit_log"});
    p.expect_found("reward_duplicates", {id});
    p.repair("reward_duplicates");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT amount FROM coin_transactions WHERE reverses_id = $1::bigint", pg::params(id)) == "-10");
    CHECK(p.digest({"users", "coin_transactions", "audit_log"}) == before);
}

TEST_CASE("doctor: a wrong verification_level is recomputed from the verifications", "[doctor][derived]") {
    Platform p;
    std::string charger = p.db.scalar("SELECT id FROM chargers ORDER BY id LIMIT 1");
    std::string level = p.db.scalar("SELECT verification_level FROM chargers WHERE id = $1", pg::params(charger));
    p.db.conn().exec("UPDATE chargers SET verification_level = (verification_level + 1) % 6 WHERE id = $1", pg::params(charger));
    std::string before = p.digest({"chargers", "audit_log"});
    p.expect_found("verification_levels", {charger});
    p.repair("verification_levels");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT verification_level FROM chargers WHERE id = $1", pg::params(charger)) == level);
    CHECK(p.db.scalar("SELECT count(*) FROM audit_log WHERE action = 'doctor.repair' AND subject_id = 'verification_levels'") == "1");
    CHECK(p.digest({"chargers", "audit_log"}) == before);
}

TEST_CASE("doctor: a wrong trust_score is recomputed by the rulebook", "[doctor][derived]") {
    Platform p;
    std::string user = busy_user(p);
    std::string trust = p.db.scalar("SELECT trust_score FROM users WHERE id = $1", pg::params(user));
    p.db.conn().exec("UPDATE users SET trust_score = CASE WHEN trust_score = 42.5 THEN 41 ELSE 42.5 END WHERE id = $1", pg::params(user));
    std::string before = p.digest({"users", "audit_log"});
    p.expect_found("trust_scores", {user});
    p.repair("trust_scores");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT trust_score FROM users WHERE id = $1", pg::params(user)) == trust);
    CHECK(p.digest({"users", "audit_log"}) == before);
}

TEST_CASE("doctor: suspensions that have ended are swept, in audited batches", "[doctor][accounts]") {
    Platform p;
    std::vector<std::string> users;
    for (const auto& r : p.db.conn().exec("SELECT id::text FROM users WHERE status = 'active' AND role = 'user' ORDER BY id LIMIT 3"))
        users.push_back(r.str(0));
    p.db.conn().exec("UPDATE users SET status = 'suspended', suspended_until = '2026-11-19T11:00:00Z' WHERE id::text = ANY($1::text[])",
                     pg::params("{" + users[0] + "," + users[1] + "," + users[2] + "}"));
    std::string before = p.digest({"users", "audit_log"});
    p.expect_found("expired_suspensions", users);
    auto r = p.doctor({"--repair", "expired_suspensions", "--yes", "--as", admin, "--batch-size", "2", "-o", "json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto result = nlohmann::json::parse(r.out)[0];
    CHECK(result["repaired"] == 3);
    CHECK(result["batches"] == 2);
    CHECK(result["left"] == 0);
    p.expect_all_pass();
    for (const auto& u : users)
        CHECK(p.db.scalar("SELECT status || coalesce(suspended_until::text, '') FROM users WHERE id = $1", pg::params(u)) == "active");
    // One audit row per batch, naming the actor and the ids.
    auto audit = p.db.conn().exec("SELECT actor_email, after->'ids' FROM audit_log WHERE action = 'doctor.repair' ORDER BY id");
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].str(0) == admin);
    CHECK(nlohmann::json::parse(audit[0].str(1)).size() == 2);
    CHECK(nlohmann::json::parse(audit[1].str(1)).size() == 1);
    CHECK(p.digest({"users", "audit_log"}) == before);
}

TEST_CASE("doctor: a claim whose lease ran out long ago is released", "[doctor][moderation]") {
    Platform p;
    std::string item = p.db.scalar("SELECT id FROM moderation_items WHERE status = 'open' ORDER BY id LIMIT 1");
    p.db.conn().exec("UPDATE moderation_items SET status = 'claimed', claimed_by = '00000000-0000-4000-8000-000000000002', "
                     "claimed_until = '2026-11-19T09:00:00Z' WHERE id = $1",
                     pg::params(item));
    std::string before = p.digest({"moderation_items", "audit_log"});
    p.expect_found("stale_claims", {item});
    p.repair("stale_claims");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT status || coalesce(claimed_by::text, '') FROM moderation_items WHERE id = $1", pg::params(item)) == "open");
    CHECK(p.digest({"moderation_items", "audit_log"}) == before);
}

TEST_CASE("doctor: polymorphic references to nothing are named, each in its table", "[doctor][references]") {
    Platform p;
    const std::string ghost = "00000000-0000-4000-8000-00000000dead";
    std::string item = p.db.scalar("INSERT INTO moderation_items (subject_type, subject_id, reason) VALUES ('photo', $1, 'spam') RETURNING id",
                                   pg::params(ghost));
    std::string alert = p.db.scalar(
        "INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score) "
        "VALUES ('card_shared_accounts', 'user', $1, now() - interval '1 hour', now(), 0.5) RETURNING id",
        pg::params(ghost));
    std::string audit = p.db.scalar(
        "INSERT INTO audit_log (action, subject_type, subject_id) VALUES ('charger.approve', 'charger', $1) RETURNING id", pg::params(ghost));
    p.expect_found("moderation_subjects", {item});
    p.expect_found("fraud_alert_subjects", {alert});
    p.expect_found("audit_subjects", {audit});
    // What a person decides: the item rejected, the alert dismissed; the audit row cannot change.
    p.db.conn().exec("UPDATE moderation_items SET status = 'rejected', decided_by = '00000000-0000-4000-8000-000000000001', "
                     "decided_at = now() WHERE id = $1",
                     pg::params(item));
    p.db.conn().exec("UPDATE fraud_alerts SET status = 'dismissed', reviewer_id = '00000000-0000-4000-8000-000000000001', "
                     "reviewed_at = now() WHERE id = $1::bigint",
                     pg::params(alert));
    p.bypass(fmt::format("DELETE FROM audit_log WHERE id = {}", audit));
    p.expect_all_pass();
}

TEST_CASE("doctor: cached sessions that PostgreSQL revoked are found and dropped", "[doctor][cache]") {
    Platform p;
    auto sessions = p.db.conn().exec("SELECT id::text, token_hash FROM user_sessions ORDER BY id LIMIT 2");
    REQUIRE(sessions.size() == 2);
    p.db.conn().exec("UPDATE user_sessions SET revoked_at = '2026-11-19T10:00:00Z', expires_at = '2026-11-20T00:00:00Z' WHERE id = $1",
                     pg::params(sessions[0].str(0)));
    p.db.conn().exec("UPDATE user_sessions SET revoked_at = NULL, expires_at = '2026-11-20T00:00:00Z' WHERE id = $1",
                     pg::params(sessions[1].str(0)));
    std::string dead = "session:" + sessions[0].str(1), live = "session:" + sessions[1].str(1);
    p.redis.cli(fmt::format("SET {} x EX 3600", dead));
    p.redis.cli(fmt::format("SET {} y EX 3600", live));
    p.expect_found("dead_sessions", {dead});
    p.repair("dead_sessions");
    p.expect_all_pass();
    CHECK(p.redis.cli("EXISTS " + dead) == "0");
    CHECK(p.redis.cli("EXISTS " + live) == "1");
    CHECK(p.db.scalar("SELECT after->>'removed' FROM audit_log WHERE action = 'doctor.repair' AND subject_id = 'dead_sessions'") == "1");
}

TEST_CASE("doctor: keys without a TTL in namespaces that must expire are found and dropped", "[doctor][cache]") {
    Platform p;
    p.redis.cli("SET user:00000000-0000-4000-8000-000000000011:profile x");
    p.redis.cli("SET charger:00000002-0000-4000-8000-000000000001:level 1 EX 100");
    p.redis.cli("SET unrelated:key x");
    p.expect_found("keys_without_ttl", {"user:00000000-0000-4000-8000-000000000011:profile"});
    p.repair("keys_without_ttl");
    p.expect_all_pass();
    CHECK(p.redis.cli("EXISTS charger:00000002-0000-4000-8000-000000000001:level") == "1");
    CHECK(p.redis.cli("EXISTS unrelated:key") == "1");
}

TEST_CASE("doctor: a cached charger older than its row is found and dropped", "[doctor][cache]") {
    Platform p;
    auto rows = p.db.conn().exec(
        "SELECT id::text, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM chargers ORDER BY id LIMIT 2");
    std::string stale = "charger:" + rows[0].str(0), fresh = "charger:" + rows[1].str(0);
    p.redis.cli(fmt::format("SET {} '{{\"id\":\"{}\",\"updated_at\":\"2020-01-01T00:00:00Z\"}}' EX 300", stale, rows[0].str(0)));
    p.redis.cli(fmt::format("SET {} '{{\"id\":\"{}\",\"updated_at\":\"{}\"}}' EX 300", fresh, rows[1].str(0), rows[1].str(1)));
    p.expect_found("stale_charger_cache", {stale});
    p.repair("stale_charger_cache");
    p.expect_all_pass();
    CHECK(p.redis.cli("EXISTS " + fresh) == "1");
    // A change to the row makes the fresh copy stale in turn.
    p.db.conn().exec("UPDATE chargers SET available_ports = available_ports WHERE id = $1", pg::params(rows[1].str(0)));
    p.expect_found("stale_charger_cache", {fresh});
}

TEST_CASE("doctor: schema drift names extra, missing and changed objects against the migrations", "[doctor][schema]") {
    Platform p;
    p.db.conn().exec("CREATE INDEX doctor_planted ON chargers (name); DROP INDEX idx_chargers_city; "
                     "ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'");
    p.expect_found("schema_drift", {"changed column public.users.name", "extra index public.doctor_planted",
                                    "missing index public.idx_chargers_city"});
    CHECK(p.doctor({"--repair", "schema_drift", "--yes", "--as", admin}).exit_code == 64);
    p.db.conn().exec("DROP INDEX doctor_planted; CREATE INDEX idx_chargers_city ON chargers (city); "
                     "ALTER TABLE users ALTER COLUMN name DROP DEFAULT");
    p.expect_all_pass();
    // The scratch database is gone: none is left once the doctor runs of tests beside this one
    // (each with a scratch database of its own, briefly) have ended too.
    CHECK(wait_for(p.db, "SELECT count(*) = 0 FROM pg_database WHERE datname LIKE 'spotctl\\_doctor\\_%'", std::chrono::seconds(60)));
}

TEST_CASE("doctor: an INVALID index left by a failed CREATE INDEX CONCURRENTLY is dropped", "[doctor][schema]") {
    Platform p;
    CHECK_THROWS(p.db.conn().exec("CREATE UNIQUE INDEX CONCURRENTLY doctor_invalid ON chargers (city)"));
    p.expect_found("invalid_indexes", {"public.doctor_invalid"});
    std::string before = p.digest({"audit_log"});
    p.repair("invalid_indexes");
    p.expect_all_pass();
    CHECK(p.db.scalar("SELECT count(*) FROM pg_class WHERE relname = 'doctor_invalid'") == "0");
    CHECK(p.digest({"audit_log"}) == before);
}

TEST_CASE("doctor: a sequence past three quarters of its range is named", "[doctor][storage]") {
    Platform p;
    p.db.conn().exec("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), 7000000000000000000)");
    p.db.conn().exec("SELECT setval('login_attempts_id_seq'::regclass, 100)");  // far from full: not named
    p.expect_found("sequence_capacity", {"public.audit_log_id_seq"});
    p.db.conn().exec("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), (SELECT max(id) FROM audit_log))");
    p.expect_all_pass();
}

TEST_CASE("doctor: amcheck finds a B-tree whose order no longer holds", "[doctor][storage]") {
    Platform p;
    // An operator class whose comparison is reversed after the index is built: the index's order
    // is then wrong in exactly the way bt_index_check verifies.
    p.db.conn().exec(R"(
CREATE FUNCTION doctor_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($1, $2)';
CREATE OPERATOR CLASS doctor_ops FOR TYPE int USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 doctor_cmp(int, int);
CREATE TABLE doctor_planted (v int);
INSERT INTO doctor_planted SELECT g FROM generate_series(1, 100000) g;
CREATE INDEX doctor_planted_idx ON doctor_planted (v doctor_ops);
CREATE OR REPLACE FUNCTION doctor_cmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)';)");
    p.expect_found("btree_corruption", {"doctor_planted_idx"});
    p.db.conn().exec("DROP TABLE doctor_planted; DROP OPERATOR FAMILY doctor_ops USING btree; DROP FUNCTION doctor_cmp(int, int)");
    p.expect_all_pass();
}

TEST_CASE("doctor: --replica-url sends the read-only checks there and keeps schema_drift on the primary", "[doctor][replica]") {
    Platform p;
    // The "replica": a clean copy of the demo data in another database, so where each check read
    // shows in what it finds.
    Platform clean;
    p.bypass("UPDATE users SET coin_balance = coin_balance + 3 WHERE id = '00000000-0000-4000-8000-000000000011'");
    p.db.conn().exec("CREATE INDEX doctor_planted ON chargers (name)");
    auto r = p.doctor({"--check", "ledger_balance", "--check", "schema_drift", "--replica-url", clean.db.url(), "-o", "json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    auto checks = nlohmann::json::parse(r.out)["checks"];
    CHECK(checks[0]["status"] == "ok");  // read on the clean copy
    CHECK(checks[1]["sample"] == nlohmann::json::array({"extra index public.doctor_planted"}));  // on the primary
}

TEST_CASE("doctor: a real streaming replica passes the read-only checks of the demo data", "[doctor][replica]") {
    Platform p;
    // The test servers' replica follows the primary: wait until it has the demo data.
    std::string replica = required_env("SPOTCTL_TEST_REPLICA_PG");
    replica = replica.substr(0, replica.rfind("dbname=")) + "dbname=" + p.db.name();
    REQUIRE(replica_caught_up(p.db, replica));
    auto r = p.doctor({"--replica-url", replica, "--skip", "btree_corruption"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
}

TEST_CASE("doctor: every example of --help runs against the demo data", "[doctor][docs]") {
    Platform p;
    TempDir dir;
    auto help = run_spotctl({"doctor", "--help"});
    REQUIRE(help.exit_code == 0);
    std::istringstream lines(help.out);
    std::string line;
    int examples = 0;
    while (std::getline(lines, line)) {
        if (!line.starts_with("  spotctl doctor")) continue;
        std::string command = line.substr(2, line.find("   #") == std::string::npos ? std::string::npos : line.find("   #") - 2);
        for (auto at = command.find("/var/lib/spotctl/"); at != std::string::npos; at = command.find("/var/lib/spotctl/"))
            command.replace(at, std::string("/var/lib/spotctl/").size(), dir.path().string() + "/");
        auto r = run_shell(fmt::format("cd '{}' && PATH='{}':\"$PATH\" DATABASE_URL='{}' REDIS_URL='{}' bash -c '{}' 2>&1",
                                       SPOTCTL_SOURCE_DIR, std::filesystem::path(SPOTCTL_BINARY).parent_path().string(), p.db.url(),
                                       p.redis.url(), command));
        INFO(command << "\n" << r.out);
        CHECK(r.exit_code == 0);
        ++examples;
    }
    CHECK(examples >= 7);
    CHECK(std::filesystem::exists(dir.path() / "doctor.nagios"));
}
