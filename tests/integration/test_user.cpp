// spotctl user against a real PostgreSQL and the test Redis: sanctions revoke sessions and drop
// the account's cache keys, only staff act (bans only admins), export holds every table's rows
// about the person, and erase leaves no personal data while the ledger still matches.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/private_redis.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Staff a001 (admin), a002 (moderator); the person b001 with a history in many tables, and b002.
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, phone, password_hash, role) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'Admin', NULL, NULL, 'admin'),
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'Mod One', NULL, NULL, 'moderator'),
  ('00000000-0000-4000-8000-00000000b001', 'person@example.com', 'Pat Person', '+919800000001', 'hash-secret-b001', 'user'),
  ('00000000-0000-4000-8000-00000000b002', 'other@example.com', 'Other', NULL, NULL, 'user');
INSERT INTO user_sessions (user_id, token_hash, ip, user_agent, expires_at) VALUES
  ('00000000-0000-4000-8000-00000000b001', md5('1') || md5('x'), '10.1.1.1', 'phone-app', now() + interval '1 day'),
  ('00000000-0000-4000-8000-00000000b001', md5('2') || md5('x'), '10.1.1.2', 'web', now() + interval '2 days'),
  ('00000000-0000-4000-8000-00000000b002', md5('3') || md5('x'), '10.1.1.3', 'web', now() + interval '1 day');
INSERT INTO login_attempts (user_id, email, ip, success) VALUES
  ('00000000-0000-4000-8000-00000000b001', 'person@example.com', '10.1.1.1', true),
  ('00000000-0000-4000-8000-00000000b001', 'person@example.com', '10.1.1.9', false);
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, added_by) VALUES
  ('00000000-0000-4000-8000-00000000c001', 'Mine', '1 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000c002', 'Other', '2 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, NULL);
INSERT INTO charger_verifications (charger_id, user_id, reported_status, latitude, longitude) VALUES
  ('00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 'available', 18.51, 73.81);
INSERT INTO charger_photos (charger_id, uploader_id, storage_url, status, reviewed_at) VALUES
  ('00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 's3://p/1', 'approved', now());
INSERT INTO charger_reviews (charger_id, user_id, rating, body, status) VALUES
  ('00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 5, 'Great', 'published');
INSERT INTO coin_transactions (user_id, action, amount) VALUES
  ('00000000-0000-4000-8000-00000000b001', 'add_charger', 50),
  ('00000000-0000-4000-8000-00000000b001', 'upload_photo', 10),
  ('00000000-0000-4000-8000-00000000b001', 'redeem', -20);
INSERT INTO parking_lots (id, name, address, city, latitude, longitude, timezone) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'Lot', '1 Road', 'Pune', 18.5, 73.8, 'Asia/Kolkata');
INSERT INTO parking_slots (id, lot_id, label) VALUES ('00000000-0000-4000-8000-00000000f002', '00000000-0000-4000-8000-00000000f001', 'A1');
INSERT INTO reservations (id, user_id, slot_id, starts_at, ends_at, status) VALUES
  ('00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000f002',
   now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'completed');
INSERT INTO payments (id, user_id, reservation_id, amount_minor, currency, method, card_fingerprint, status, ip) VALUES
  ('00000000-0000-4000-8000-00000000e002', '00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000e001',
   1500, 'INR', 'card', 'fp-b001', 'succeeded', '10.1.1.1');
INSERT INTO notifications (user_id, channel, template) VALUES ('00000000-0000-4000-8000-00000000b001', 'email', 'welcome');
INSERT INTO profile_changes (user_id, field, old_value, new_value) VALUES
  ('00000000-0000-4000-8000-00000000b001', 'phone', '+919800000001', '+919800000002');
INSERT INTO user_risk_profiles (user_id, score) VALUES ('00000000-0000-4000-8000-00000000b001', 0.25);
INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score) VALUES
  ('card_shared_accounts', 'user', '00000000-0000-4000-8000-00000000b001', now() - interval '1 day', now(), 0.5);
INSERT INTO moderation_items (subject_type, subject_id, reason, reporter_id) VALUES
  ('user', '00000000-0000-4000-8000-00000000b002', 'spam', '00000000-0000-4000-8000-00000000b001'),
  ('user', '00000000-0000-4000-8000-00000000b001', 'rude', '00000000-0000-4000-8000-00000000b002');
)SQL";

const std::string person = "00000000-0000-4000-8000-00000000b001";

RunResult run(const TempDatabase& db, std::vector<std::string> args, std::vector<std::string> global = {}) {
    std::vector<std::string> full = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS")};
    full.insert(full.end(), global.begin(), global.end());
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

// redis-cli on the test Redis (a unix socket URL).
std::string redis(const std::string& command) {
    std::string url = required_env("SPOTCTL_TEST_REDIS");
    std::string socket = url.substr(std::string("unix://").size());
    socket = socket.substr(0, socket.find('?'));
    return run_shell(fmt::format("redis-cli -s '{}' {} 2>&1", socket, command)).out;
}

std::string ledger_mismatches(TempDatabase& db) {
    return db.scalar("SELECT count(*) FROM users u WHERE coin_balance <> "
                     "(SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)");
}

}  // namespace

TEST_CASE("suspending revokes the account's sessions and removes its cache keys, with one audit row", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // A user id of its own, so that parallel test cases sharing the Redis do not meet.
    std::string id = db.scalar("SELECT gen_random_uuid()");
    db.conn().exec("INSERT INTO users (id, email, name) VALUES ($1::uuid, 'target@example.com', 'Target')", pg::params(id));
    db.conn().exec("INSERT INTO user_sessions (user_id, token_hash, expires_at) VALUES ($1::uuid, md5('t') || md5('y'), now() + interval '1 hour')",
                   pg::params(id));
    std::string other = db.scalar("SELECT gen_random_uuid()");
    for (const auto& key : {fmt::format("user:{}:profile", id), fmt::format("user:{}:stats", id), fmt::format("user:{}:profile", other)})
        redis(fmt::format("SET {} cached EX 600", key));
    REQUIRE(redis(fmt::format("EXISTS user:{}:profile user:{}:stats", id, id)) == "2\n");

    auto r = run(db, {"user", "suspend", "target@example.com", "--until", "7d", "--reason", "spam reviews", "--as", "mod1@spot.example"},
                     {"-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto row = nlohmann::json::parse(r.out)[0];
    REQUIRE(row["new_status"] == "suspended");
    REQUIRE(row["sessions_revoked"] == 1);
    REQUIRE(row["cache_keys_removed"] == 2);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, suspended_until BETWEEN now() + interval '6 days' AND now() + interval '8 days') "
                      "FROM users WHERE id = $1", pg::params(id)) == "suspended,t");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(id)) == "0");
    // The other person's sessions and keys stay.
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(person)) == "2");
    REQUIRE(redis(fmt::format("EXISTS user:{}:profile user:{}:stats", id, id)) == "0\n");
    REQUIRE(redis(fmt::format("EXISTS user:{}:profile", other)) == "1\n");
    redis(fmt::format("DEL user:{}:profile", other));
    REQUIRE(db.scalar("SELECT string_agg(concat_ws(',', action, subject_id, actor_email, reason), ';') FROM audit_log") ==
            fmt::format("user.suspend,{},mod1@spot.example,spam reviews", id));

    auto restore = run(db, {"user", "restore", id, "--reason", "appeal", "--as", "mod1@spot.example"});
    REQUIRE(restore.exit_code == 0);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, suspended_until) FROM users WHERE id = $1", pg::params(id)) == "active");
}

TEST_CASE("suspend, ban and erase drop the account's cached sessions, and only those", "[user][session]") {
    const std::string action = GENERATE("suspend", "ban", "erase");
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // Users and token hashes of their own, so that parallel test cases sharing the Redis do not meet.
    std::string id = db.scalar("SELECT gen_random_uuid()"), other = db.scalar("SELECT gen_random_uuid()");
    db.conn().exec("INSERT INTO users (id, email, name) VALUES ($1::uuid, 'target@example.com', 'Target'), ($2::uuid, 'bystander@example.com', 'B')",
                   pg::params(id, other));
    // The target: a live session, and one revoked earlier whose key a server may still hold.
    const char* session_sql = "INSERT INTO user_sessions (user_id, token_hash, expires_at, revoked_at) "
                              "VALUES ($1::uuid, md5(random()::text) || md5(random()::text), now() + interval '1 day', $2::timestamptz) "
                              "RETURNING token_hash";
    std::vector<std::string> mine = {db.scalar(session_sql, pg::params(id, std::nullopt)),
                                     db.scalar(session_sql, pg::params(id, "2026-01-01T00:00:00Z"))};
    std::string theirs = db.scalar(session_sql, pg::params(other, std::nullopt));
    for (const auto& hash : {mine[0], mine[1], theirs}) redis(fmt::format("SET session:{} cached EX 600", hash));
    REQUIRE(redis(fmt::format("EXISTS session:{} session:{}", mine[0], mine[1])) == "2\n");

    std::vector<std::string> args = {"user", action, id, "--reason", "checked", "--as", "admin@spot.example"};
    if (action == "suspend") args.insert(args.end(), {"--until", "7d"});
    if (action == "erase") args.push_back("--yes");
    auto r = run(db, args, {"-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(nlohmann::json::parse(r.out)[0]["cache_keys_removed"] == 2);
    REQUIRE(redis(fmt::format("EXISTS session:{} session:{}", mine[0], mine[1])) == "0\n");
    REQUIRE(redis(fmt::format("EXISTS session:{}", theirs)) == "1\n");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(other)) == "1");
    redis(fmt::format("DEL session:{}", theirs));
}

TEST_CASE("only staff act on accounts, and only admins ban", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto user = run(db, {"user", "suspend", "other@example.com", "--until", "1d", "--reason", "x", "--as", "person@example.com"});
    REQUIRE(user.exit_code == 77);
    REQUIRE(user.err == "spotctl: error: user suspend is refused for person@example.com: the role is user, and this needs a moderator or admin\n");
    auto mod = run(db, {"user", "ban", "other@example.com", "--reason", "x", "--as", "mod1@spot.example"});
    REQUIRE(mod.exit_code == 77);
    REQUIRE(mod.err == "spotctl: error: user ban is refused for mod1@spot.example: the role is moderator, and this needs an admin\n");
    REQUIRE(run(db, {"user", "erase", person, "--yes", "--as", "mod1@spot.example"}).exit_code == 77);
    REQUIRE(run(db, {"user", "export", person, "--as", "person@example.com"}).exit_code == 77);
    REQUIRE(run(db, {"user", "suspend", "other@example.com", "--until", "yesterday", "--reason", "x", "--as", "mod1@spot.example"}).exit_code == 65);
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");
    REQUIRE(db.scalar("SELECT string_agg(status, ',' ORDER BY id) FROM users") == "active,active,active,active");

    auto ban = run(db, {"user", "ban", "other@example.com", "--reason", "fraud", "--as", "admin@spot.example"});
    INFO(ban.err);
    REQUIRE(ban.exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM users WHERE email = 'other@example.com'") == "banned");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions s JOIN users u ON u.id = s.user_id "
                      "WHERE u.email = 'other@example.com' AND s.revoked_at IS NULL") == "0");

    auto show = run(db, {"user", "show", "other@example.com"}, {"-o", "json"});
    REQUIRE(show.exit_code == 0);
    auto doc = nlohmann::json::parse(show.out);
    REQUIRE(doc["profile"]["status"] == "banned");
    REQUIRE(doc["moderation"]["audit"][0]["action"] == "user.ban");
    REQUIRE(doc["moderation"]["items"].size() == 1);
}

TEST_CASE("export holds every table's rows about the person, and no credentials", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    auto file = dir / "export.json";
    auto r = run(db, {"user", "export", "person@example.com", "--file", file.string(), "--as", "mod1@spot.example"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string text = run_shell(fmt::format("cat '{}'", file.string())).out;
    auto doc = nlohmann::json::parse(text);
    REQUIRE(doc["user_id"] == person);
    const auto& tables = doc["tables"];
    // Every table that points at users, counted here independently of spotctl.
    auto fks = db.conn().exec(R"(SELECT c.conrelid::regclass::text AS tbl, string_agg(quote_ident(a.attname) || ' = $1::uuid', ' OR ') AS cond
  FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
 WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass AND c.conrelid <> 'users'::regclass GROUP BY 1 ORDER BY 1)");
    REQUIRE(fks.size() >= 15);
    for (auto fk : fks) {
        std::string table = fk.str("tbl");
        INFO("table " << table);
        REQUIRE(tables.contains(table));
        std::string expected = db.scalar(fmt::format("SELECT count(*) FROM {} WHERE {}", table, fk.str("cond")), pg::params(person));
        if (table != "moderation_items" && table != "fraud_alerts" && table != "audit_log")
            REQUIRE(std::to_string(tables[table].size()) == expected);
    }
    REQUIRE(tables["users"].size() == 1);
    REQUIRE(tables["users"][0]["email"] == "person@example.com");
    for (const char* t : {"user_sessions", "login_attempts", "coin_transactions", "charger_photos", "charger_reviews", "charger_verifications",
                          "payments", "reservations", "notifications", "profile_changes", "user_risk_profiles", "chargers"})
        REQUIRE(!tables[t].empty());
    REQUIRE(tables["coin_transactions"].size() == 3);
    // Rows about the person without a foreign key: the report against them and the fraud alert.
    REQUIRE(tables["moderation_items"].size() == 2);
    REQUIRE(tables["fraud_alerts"].size() == 1);
    REQUIRE(text.find("hash-secret-b001") == std::string::npos);
    REQUIRE(text.find("token_hash") == std::string::npos);
    REQUIRE(db.scalar("SELECT concat_ws(',', action, subject_id, actor_email, after->'rows'->>'coin_transactions') FROM audit_log") ==
            fmt::format("user.export,{},mod1@spot.example,3", person));
}

TEST_CASE("erase leaves no personal data, keeps the ledger and payments consistent, and is audited", "[user][erase]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    std::string balance = db.scalar("SELECT coin_balance FROM users WHERE id = $1", pg::params(person));
    REQUIRE(balance == "40");
    // Without a terminal and without --yes nothing happens.
    auto unconfirmed = run(db, {"user", "erase", person, "--as", "admin@spot.example"});
    REQUIRE(unconfirmed.exit_code == 64);
    REQUIRE(db.scalar("SELECT email FROM users WHERE id = $1", pg::params(person)) == "person@example.com");

    // On a terminal it asks: anything but yes erases nothing, yes erases.
    const std::vector<std::string> erase = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "user", "erase",
                                            person, "--reason", "erasure request 4711", "--as", "admin@spot.example"};
    const std::string question = fmt::format("Erase every piece of personal data of user {}? This cannot be undone. [y/N] ", person);
    auto declined = run_spotctl_on_terminal(erase, question, "n\n");
    INFO(declined.out);
    REQUIRE(declined.exit_code == 1);
    REQUIRE(declined.out.find("spotctl: error: cancelled: nothing was changed") != std::string::npos);
    REQUIRE(db.scalar("SELECT email FROM users WHERE id = $1", pg::params(person)) == "person@example.com");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");
    auto r = run_spotctl_on_terminal(erase, question, "y\n");
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, email, name, phone, password_hash, coin_balance) FROM users WHERE id = $1",
                      pg::params(person)) == "deleted," + balance);
    // No table holds the person's e-mail, name, phone, password hash, IPs or position any more (login
    // attempts keep their IP, unlinked from the person, for abuse detection until prune ages them out).
    auto tables = db.conn().exec("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    for (auto t : tables) {
        std::string table = t.str(0);
        INFO("table " << table);
        REQUIRE(db.scalar(fmt::format("SELECT count(*) FROM {} x WHERE x::text ~ 'person@example|Pat Person|9800000001|hash-secret|18\\.51{}'",
                                      table, table == "login_attempts" ? "" : "|10\\.1\\.1\\.[12]\\M")) == "0");
    }
    for (const char* table : {"user_sessions", "notifications", "profile_changes", "user_risk_profiles"})
        REQUIRE(db.scalar(fmt::format("SELECT count(*) FROM {} WHERE user_id = $1", table), pg::params(person)) == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE user_id IS NULL AND email IS NULL") == "2");
    // Ledger, payments and contributions stay, and still add up.
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions WHERE user_id = $1", pg::params(person)) == "3");
    REQUIRE(ledger_mismatches(db) == "0");
    REQUIRE(db.scalar("SELECT concat_ws(',', amount_minor, currency, status, card_fingerprint, reservation_id) FROM payments") ==
            "1500,INR,succeeded,fp-b001,00000000-0000-4000-8000-00000000e001");
    REQUIRE(db.scalar("SELECT count(*) FROM charger_reviews WHERE user_id = $1", pg::params(person)) == "1");
    // One audit row, naming what was erased but not the values.
    REQUIRE(db.scalar("SELECT concat_ws(',', action, subject_id, actor_email, reason, before->>'status', after->>'sessions_deleted') FROM audit_log") ==
            fmt::format("user.erase,{},admin@spot.example,erasure request 4711,active,2", person));
    REQUIRE(db.scalar("SELECT before->'fields_set' FROM audit_log") == R"(["email", "name", "phone", "password_hash"])");
    // Twice is refused.
    auto again = run(db, {"user", "erase", person, "--yes", "--as", "admin@spot.example"});
    REQUIRE(again.exit_code == 65);
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "1");
}

TEST_CASE("fault: erase killed or cut off mid-transaction leaves the person's data whole, and a re-run erases it", "[user][erase][faults]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::vector<std::string> tables = {"users", "user_sessions", "notifications", "profile_changes", "user_risk_profiles",
                                             "login_attempts", "payments", "charger_verifications", "coin_transactions", "audit_log"};
    std::string before = contents(db, tables);
    std::vector<std::string> args = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "user", "erase",
                                     person, "--yes", "--reason", "erasure request", "--as", "admin@spot.example"};
    // The payment's row comes late in the erasing statement: sessions, notifications and the
    // profile changes are deleted by then.
    const std::string lock = "SELECT 1 FROM payments WHERE user_id = $1 FOR UPDATE";
    Fault fault = GENERATE(Fault::sigkill, Fault::terminate_backend);
    require_interrupted(interrupt_while_blocked(db, lock, pg::params(person), args, fault), fault);
    REQUIRE(contents(db, tables) == before);
    auto again = run_spotctl(args);
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, email, name) FROM users WHERE id = $1", pg::params(person)) == "deleted");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1", pg::params(person)) == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'user.erase'") == "1");
    REQUIRE(ledger_mismatches(db) == "0");
}

TEST_CASE("user sessions lists an account's sessions, and revoke ends one or all with their cached keys and an audit row",
          "[user][sessions]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // A user of its own (parallel cases share the Redis): two live sessions, one expired.
    std::string id = db.scalar("SELECT gen_random_uuid()");
    db.conn().exec("INSERT INTO users (id, email, name) VALUES ($1::uuid, 'phone@example.com', 'Phone')", pg::params(id));
    const char* session_sql = "INSERT INTO user_sessions (user_id, token_hash, created_at, expires_at, ip) "
                              "VALUES ($1::uuid, md5(random()::text) || md5(random()::text), $2::timestamptz, $2::timestamptz + $3::interval, "
                              "'203.0.113.7') RETURNING id::text || ' ' || token_hash";
    auto session = [&](const char* created, const char* lasts) {
        std::string s = db.scalar(session_sql, pg::params(id, created, lasts));
        return std::make_pair(s.substr(0, s.find(' ')), s.substr(s.find(' ') + 1));
    };
    auto a = session("2026-12-01T00:00:00Z", "30 days"), b = session("2026-12-02T00:00:00Z", "30 days"),
         old = session("2026-01-01T00:00:00Z", "1 day");
    for (const auto& s : {a, b}) redis(fmt::format("SET session:{} cached EX 600", s.second));

    auto list = run(db, {"user", "sessions", "phone@example.com"}, {"-o", "json"});
    INFO(list.err);
    REQUIRE(list.exit_code == 0);
    auto rows = nlohmann::json::parse(list.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["id"] == b.first);  // newest first
    CHECK(rows[0]["state"] == "active");
    CHECK(rows[2]["state"] == "expired");
    CHECK(rows[0]["ip"] == "203.0.113.7");
    CHECK(list.out.find(a.second) == std::string::npos);  // never a token hash

    // One session: only it, and only its cached key.
    auto one = run(db, {"user", "sessions", "revoke", "phone@example.com", a.first, "--reason", "unknown device", "--as", "mod1@spot.example"},
                   {"-o", "json"});
    INFO(one.err);
    REQUIRE(one.exit_code == 0);
    CHECK(nlohmann::json::parse(one.out)[0]["sessions_revoked"] == 1);
    CHECK(nlohmann::json::parse(one.out)[0]["cache_keys_removed"] == 1);
    CHECK(redis(fmt::format("EXISTS session:{} session:{}", a.second, b.second)) == "1\n");
    CHECK(db.scalar("SELECT revoked_at IS NOT NULL FROM user_sessions WHERE id = $1::uuid", pg::params(a.first)) == "t");
    CHECK(db.scalar("SELECT concat_ws('|', action, subject_id, actor_email, reason, after->>'revoked_sessions') FROM audit_log") ==
          fmt::format("user.sessions_revoke|{}|mod1@spot.example|unknown device|[\"{}\"]", id, a.first));

    // Again: already revoked; an expired one; both or neither of SESSION and --all.
    auto again = run(db, {"user", "sessions", "revoke", id, a.first, "--reason", "x", "--as", "mod1@spot.example"});
    CHECK(again.exit_code == 65);
    CHECK(again.err.find("is already revoked") != std::string::npos);
    CHECK(run(db, {"user", "sessions", "revoke", id, old.first, "--reason", "x", "--as", "mod1@spot.example"}).exit_code == 65);
    CHECK(run(db, {"user", "sessions", "revoke", id, "--reason", "x", "--as", "mod1@spot.example"}).exit_code == 64);
    CHECK(run(db, {"user", "sessions", "revoke", id, b.first, "--all", "--reason", "x", "--as", "mod1@spot.example"}).exit_code == 64);
    auto outsider = run(db, {"user", "sessions", "revoke", id, "--all", "--reason", "x", "--as", "person@example.com"});
    CHECK(outsider.exit_code == 77);
    CHECK(db.scalar("SELECT count(*) FROM audit_log") == "1");

    // --all: the remaining active one.
    auto all = run(db, {"user", "sessions", "revoke", id, "--all", "--reason", "lost phone", "--as", "mod1@spot.example"}, {"-o", "json"});
    REQUIRE(all.exit_code == 0);
    CHECK(nlohmann::json::parse(all.out)[0]["sessions_revoked"] == 1);
    CHECK(redis(fmt::format("EXISTS session:{}", b.second)) == "0\n");
    CHECK(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1::uuid AND revoked_at IS NULL AND expires_at > now()",
                    pg::params(id)) == "0");
}

TEST_CASE("nobody acts on their own account, and a moderator acts on no staff account: exit 77, nothing changed", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string statuses = "SELECT string_agg(concat_ws(',', email, status), ';' ORDER BY id) FROM users";
    std::string before = db.scalar(statuses);
    auto own = run(db, {"user", "suspend", "mod1@spot.example", "--until", "1d", "--reason", "x", "--as", "mod1@spot.example"});
    REQUIRE(own.exit_code == 77);
    REQUIRE(own.err == "spotctl: error: mod1@spot.example may not suspend their own account\n");
    auto own_ban = run(db, {"user", "ban", "admin@spot.example", "--reason", "x", "--as", "admin@spot.example"});
    REQUIRE(own_ban.exit_code == 77);
    REQUIRE(own_ban.err == "spotctl: error: admin@spot.example may not ban their own account\n");
    auto own_erase = run(db, {"user", "erase", "admin@spot.example", "--yes", "--as", "admin@spot.example"});
    REQUIRE(own_erase.exit_code == 77);
    REQUIRE(own_erase.err == "spotctl: error: admin@spot.example may not erase their own account\n");
    const std::string admin_id = "00000000-0000-4000-8000-00000000a001";
    auto on_staff = run(db, {"user", "suspend", "admin@spot.example", "--until", "1d", "--reason", "x", "--as", "mod1@spot.example"});
    REQUIRE(on_staff.exit_code == 77);
    REQUIRE(on_staff.err == fmt::format("spotctl: error: suspend is refused: user {} is an admin, and only an admin may suspend staff\n", admin_id));
    REQUIRE(db.scalar(statuses) == before);
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE revoked_at IS NOT NULL") == "0");

    // An admin may act on a moderator's account: the refusal above was about the actor's role.
    auto by_admin = run(db, {"user", "suspend", "mod1@spot.example", "--until", "1d", "--reason", "x", "--as", "admin@spot.example"});
    INFO(by_admin.err);
    REQUIRE(by_admin.exit_code == 0);
    REQUIRE(db.scalar("SELECT status FROM users WHERE email = 'mod1@spot.example'") == "suspended");
}

TEST_CASE("restoring an active account and sanctioning an erased one exit 65, changing nothing", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::string other = "00000000-0000-4000-8000-00000000b002";
    auto active = run(db, {"user", "restore", "other@example.com", "--reason", "appeal", "--as", "mod1@spot.example"});
    REQUIRE(active.exit_code == 65);
    REQUIRE(active.err == fmt::format("spotctl: error: user {} is already active; there is nothing to restore\n", other));
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");

    auto erase = run(db, {"user", "erase", other, "--yes", "--as", "admin@spot.example"});
    INFO(erase.err);
    REQUIRE(erase.exit_code == 0);
    const std::string state = "SELECT concat_ws(',', status, suspended_until, (SELECT count(*) FROM audit_log)) FROM users WHERE id = $1";
    std::string before = db.scalar(state, pg::params(other));
    REQUIRE(before == "deleted,1");
    for (std::vector<std::string> args : {std::vector<std::string>{"suspend", other, "--until", "7d"}, {"ban", other}, {"restore", other}}) {
        std::string verb = args[0];
        args.insert(args.begin(), "user");
        args.insert(args.end(), {"--reason", "x", "--as", "admin@spot.example"});
        auto r = run(db, args);
        INFO(verb << ": " << r.err);
        REQUIRE(r.exit_code == 65);
        REQUIRE(r.err == fmt::format("spotctl: error: user {} is deleted; there is nothing to {}\n", other, verb));
        REQUIRE(db.scalar(state, pg::params(other)) == before);
    }
}

TEST_CASE("export --file writes a file only its owner can read (mode 0600), whatever the umask", "[user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    auto file = dir / "export.json";
    // A permissive umask: the mode must come from spotctl, not from the umask.
    auto r = run_shell(fmt::format("umask 000 && '{}' --database-url '{}' user export person@example.com --file '{}' --as mod1@spot.example",
                                   SPOTCTL_BINARY, db.url(), file.string()));
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::filesystem::exists(file));
    REQUIRE((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    REQUIRE(nlohmann::json::parse(slurp(file))["user_id"] == person);
}

TEST_CASE("Redis unreachable after a suspend or ban: exit 75 with the way to finish, the account's change kept", "[user][redis]") {
    const std::string action = GENERATE("suspend", "ban");
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    PrivateRedis redis;
    redis.cli(fmt::format("SET user:{}:profile cached", person));
    redis.stop();
    std::vector<std::string> args = {"--database-url", db.url(), "--redis-url", redis.url(), "user", action, person, "--reason", "spam",
                                     "--as", "admin@spot.example"};
    if (action == "suspend") args.insert(args.end(), {"--until", "7d"});
    auto r = run_spotctl(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.rfind(fmt::format("spotctl: error: the change to user {} is saved, but its cache keys were not removed: ", person), 0) == 0);
    REQUIRE(r.err.find(fmt::format("\nspotctl: hint: the servers may serve stale data until the keys expire; "
                                   "run `spotctl cache invalidate --user {}`\n", person)) != std::string::npos);
    // The database change committed before Redis was tried, and stays.
    REQUIRE(db.scalar("SELECT status FROM users WHERE id = $1", pg::params(person)) == (action == "suspend" ? "suspended" : "banned"));
    REQUIRE(db.scalar("SELECT count(*) FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL", pg::params(person)) == "0");
    REQUIRE(db.scalar("SELECT action FROM audit_log") == "user." + action);
    // The hint's command finishes the job once Redis is back.
    redis.start();
    redis.cli(fmt::format("SET user:{}:profile cached", person));
    auto hint = run_spotctl({"--redis-url", redis.url(), "cache", "invalidate", "--user", person});
    INFO(hint.err);
    REQUIRE(hint.exit_code == 0);
    REQUIRE(redis.cli(fmt::format("EXISTS user:{}:profile", person)) == "0");
}
