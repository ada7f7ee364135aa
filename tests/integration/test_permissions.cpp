// Least privilege, as the README's "Running against a real platform database" table states it:
// for every row of the table, the row's commands work with a role holding exactly those grants
// (and, for rows that use Redis, a Redis ACL user with exactly those commands), and with one grant
// fewer they fail cleanly (exit 77 and a message naming what was refused), changing nothing.
// The rows below are checked against the README: each of its rows has one here, and the tables a
// row's grants name are the tables the README's row names, so the two cannot drift apart.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <optional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/harness.hpp"
#include "support/interrupt.hpp"
#include "support/private_redis.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string source_dir = SPOTCTL_SOURCE_DIR;

// One spotctl run. In `args`, {db} is the database URL (of the role, or of the superuser for a
// superuser step), {redis} the Redis URL, {seeds}, {migrations} the repository's directories and
// {dir} the test's temporary directory.
struct Run {
    std::vector<std::string> args;
    std::set<int> ok = {0};
    bool superuser = false;  // a step between the role's runs, done by the superuser
};

struct Row {
    std::string command;  // the README row's first cell, verbatim
    std::string grants;   // SQL granting exactly the row's privileges to {role} (besides CONNECT and USAGE on public)
    std::string redis_acl;  // the row's Redis ACL rules, for rows that use Redis
    std::vector<Run> works;  // each succeeds with exactly those grants
    std::string fewer;       // SQL taking one grant away from {role}, or (starting with '-') one Redis command
    Run refused;             // with one grant fewer: exit `refused_exit`...
    std::string refusal;     // ...saying this
    int refused_exit = 77;
    std::string template_db = "spotctl_template";
    std::vector<Run> setup;  // superuser runs before everything
    std::string data;        // SQL run by the superuser after `setup`
    std::map<std::string, std::string> files;  // written to {dir}
    std::vector<std::string> redis_keys;       // set before everything
    std::string done;        // SQL: 't' once `works` did its job
    std::string says;        // printed by the `works` runs
    std::string redis_done;  // redis-cli arguments whose answer is "0" once `works` did its job
};

// Staff a001 (admin), a002 (moderator); b001 with a photo, a payment, coins and a session; b002
// reported, with failed logins from one address (a brute-force finding); three fraud alerts
// (1: b002 brute force, 2: b001 verification velocity over its rewards, 3: an address).
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'admin@spot.example', 'Admin', 'admin'),
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'Mod One', 'moderator'),
  ('00000000-0000-4000-8000-00000000b001', 'rider@example.com', 'Rider', 'user'),
  ('00000000-0000-4000-8000-00000000b002', 'troll@example.com', 'Troll', 'user');
INSERT INTO user_sessions (user_id, token_hash, expires_at) VALUES
  ('00000000-0000-4000-8000-00000000b001', md5('s1') || md5('x'), now() + interval '1 day'),
  ('00000000-0000-4000-8000-00000000b002', md5('s2') || md5('x'), now() + interval '1 day');
INSERT INTO login_attempts (user_id, email, ip, success, created_at)
SELECT '00000000-0000-4000-8000-00000000b002', 'troll@example.com', '198.51.100.7', false, now() - i * interval '1 minute'
  FROM generate_series(1, 6) i;
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, added_by) VALUES
  ('00000000-0000-4000-8000-00000000c001', 'Charger', '1 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, '00000000-0000-4000-8000-00000000b001');
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url) VALUES
  ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-00000000b001', 's3://p/1.jpg');
INSERT INTO coin_transactions (user_id, action, amount) VALUES ('00000000-0000-4000-8000-00000000b001', 'verify_charger', 5);
INSERT INTO parking_lots (id, name, address, city, latitude, longitude, timezone) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'Lot', '1 Road', 'Pune', 18.5, 73.8, 'Asia/Kolkata');
INSERT INTO parking_slots (id, lot_id, label) VALUES ('00000000-0000-4000-8000-00000000f002', '00000000-0000-4000-8000-00000000f001', 'A1');
INSERT INTO reservations (id, user_id, slot_id, starts_at, ends_at, status) VALUES
  ('00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000f002',
   now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'completed');
INSERT INTO payments (user_id, reservation_id, amount_minor, currency, method, card_fingerprint, status, ip) VALUES
  ('00000000-0000-4000-8000-00000000b001', '00000000-0000-4000-8000-00000000e001', 1500, 'INR', 'card', 'fp-1', 'succeeded', '10.1.1.1');
INSERT INTO moderation_items (id, subject_type, subject_id, reason, created_at) VALUES
  ('00000000-0000-4000-8000-0000000000f1', 'charger', '00000000-0000-4000-8000-00000000c001', 'new charger', now() - interval '3 days'),
  ('00000000-0000-4000-8000-0000000000f2', 'photo', '00000000-0000-4000-8000-00000000d001', 'new photo', now() - interval '2 days'),
  ('00000000-0000-4000-8000-0000000000f3', 'user', '00000000-0000-4000-8000-00000000b002', 'abusive', now() - interval '1 day');
INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score) VALUES
  ('brute_force', 'user', '00000000-0000-4000-8000-00000000b002', now() - interval '1 day', now(), 0.8),
  ('verification_velocity', 'user', '00000000-0000-4000-8000-00000000b001', now() - interval '1 day', now(), 0.8),
  ('credential_stuffing', 'ip', '198.51.100.7', now() - interval '1 day', now(), 0.8);
)SQL";

const std::string person = "00000000-0000-4000-8000-00000000b001";
const std::string troll = "00000000-0000-4000-8000-00000000b002";
std::string item(int n) { return fmt::format("00000000-0000-4000-8000-0000000000f{}", n); }

// What `cache stats`, `invalidate` and `fix-ttl` need; spotctl's sanctions drop keys with them.
const std::string cache_acl = "+scan +dbsize +ttl +memory|usage +exists +unlink +expire +cluster|nodes";
const std::string last_year = "2026-01-01", next_year = "2027-01-01";

// `spotctl AREA ARGS...` with the role's database and Redis.
Run area_run(const std::string& area, std::vector<std::string> args) {
    args.insert(args.begin(), {"--database-url", "{db}", "--redis-url", "{redis}", area});
    return Run{args};
}

const std::vector<Row>& rows() {
    static const std::vector<Row> all = [] {
        std::vector<Row> r;
        {
            Row x;
            x.command = "`migrate`";
            x.template_db = "template0";
            // The first run creates every object, so the role owns them all for the later runs.
            x.grants = "GRANT CREATE ON DATABASE {db} TO {role}; GRANT CREATE ON SCHEMA public TO {role};";
            x.works = {{{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "up"}},
                       {{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "down", "--steps", "2", "--yes"}},
                       {{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "up"}}};
            x.fewer = "REVOKE CREATE ON DATABASE {db} FROM {role};";
            x.refused = {{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "up"}};
            x.refusal = "permission denied to create extension \"citext\"";
            x.done = "SELECT count(*) > 10 FROM pg_tables t JOIN pg_roles r ON r.rolname = t.tableowner "
                     "WHERE t.schemaname = 'public' AND r.rolname = current_setting('spotctl.role')";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`migrate status`, `validate`, `locks`";
            x.grants = "GRANT SELECT ON spotctl_schema_migrations TO {role};";
            x.works = {{{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "status"}},
                       {{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "validate"}},
                       {{"--database-url", "{db}", "locks"}}};
            x.fewer = "REVOKE SELECT ON spotctl_schema_migrations FROM {role};";
            x.refused = {{"--database-url", "{db}", "migrate", "--dir", "{migrations}", "status"}};
            x.refusal = "permission denied for table spotctl_schema_migrations";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`seed load`, `generate`";
            x.template_db = "spotctl_template";
            // The ledger's trigger keeps users.coin_balance with the privileges of whoever inserts;
            // generate puts the timestamps the triggers set back to generated values.
            x.grants = "GRANT INSERT, SELECT ON ALL TABLES IN SCHEMA public TO {role}; "
                       "GRANT UPDATE (coin_balance, updated_at) ON users TO {role}; "
                       "GRANT UPDATE (last_verified_at, updated_at, verification_level) ON chargers TO {role}; "
                       "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}; GRANT TEMP ON DATABASE {db} TO {role}; "
                       "GRANT CREATE ON SCHEMA public TO {role};";
            // generate first: into a database `seed reset` emptied, its chargers UPDATE ran for minutes.
            x.works = {{{"--database-url", "{db}", "-q", "seed", "generate", "--scale", "1"}},
                       {{"--database-url", "{db}", "-q", "seed", "reset", "--yes"}, {0}, true},
                       {{"--database-url", "{db}", "-q", "seed", "load", "--dir", "{seeds}"}}};
            x.fewer = "REVOKE INSERT ON users FROM {role};";
            x.refused = {{"--database-url", "{db}", "seed", "load", "--dir", "{seeds}"}};
            x.refusal = "permission denied for table users";
            x.done = "SELECT (SELECT count(*) > 0 FROM users) AND (SELECT count(*) > 0 FROM chargers WHERE last_verified_at IS NOT NULL)";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`health`";
            x.works = {{{"--database-url", "{db}", "health", "postgres", "-o", "json", "--migrations-dir", "{migrations}"}, {0, 1}}};
            x.says = "migrations not checked: the role may not read spotctl_schema_migrations";
            x.fewer = "REVOKE CONNECT ON DATABASE {db} FROM {role};";
            // health is a monitoring probe: a database it cannot enter is CRITICAL (2), not an error.
            x.refused = {{"--database-url", "{db}", "health", "postgres", "--migrations-dir", "{migrations}"}};
            x.refusal = "User does not have CONNECT privilege";
            x.refused_exit = 2;
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`cache purge`";
            x.redis_acl = "+scan +exists +unlink +memory|usage +cluster|nodes";
            x.redis_keys = {"chargers:list:1", "chargers:list:2", "chargers:list:3"};
            x.works = {{{"--database-url", "{db}", "--redis-url", "{redis}", "cache", "purge", "charger_list"}}};
            x.fewer = "-unlink";
            x.refused = x.works[0];
            x.refusal = "NOPERM this user has no permissions to run the 'unlink' command";
            x.redis_done = "DBSIZE";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`cache stats`, `invalidate`, `fix-ttl`";
            x.redis_acl = cache_acl;
            x.redis_keys = {"chargers:list:1", fmt::format("user:{}:profile", person)};
            x.works = {{{"--redis-url", "{redis}", "cache", "stats"}},
                       {{"--redis-url", "{redis}", "cache", "invalidate", "--user", person}},
                       {{"--redis-url", "{redis}", "cache", "fix-ttl", "charger_list"}}};
            x.fewer = "-expire";
            x.refused = x.works[2];
            x.refusal = "NOPERM this user has no permissions to run the 'expire' command";
            x.redis_done = fmt::format("EXISTS user:{}:profile", person);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`prune`";
            x.grants = "GRANT SELECT, UPDATE, DELETE ON user_sessions, login_attempts, notifications, charger_photos, profile_changes, "
                       "user_risk_profiles TO {role}; GRANT SELECT, UPDATE ON reservations, users, payments, charger_verifications TO {role}; "
                       "GRANT DELETE ON users TO {role}; GRANT SELECT ON coin_transactions, chargers, charger_reviews, parking_lots, "
                       "moderation_items, fraud_alerts, ip_blacklist, role_grants TO {role}; "
                       "GRANT INSERT, SELECT (id, actor_id) ON audit_log TO {role};";
            x.setup = {{{"--database-url", "{db}", "-q", "seed", "load", "--dir", "{seeds}"}}};
            x.data = "INSERT INTO login_attempts (ip, success, created_at) SELECT '10.7.0.1', false, now() - interval '200 days' "
                     "FROM generate_series(1, 10)";
            x.works = {{{"--database-url", "{db}", "prune", "--dry-run"}}, {{"--database-url", "{db}", "prune"}}};
            x.fewer = "REVOKE DELETE ON login_attempts FROM {role};";
            x.refused = {{"--database-url", "{db}", "prune", "login_attempts"}};
            x.refusal = "permission denied for table login_attempts";
            x.done = "SELECT count(*) = 0 FROM login_attempts WHERE ip = '10.7.0.1'";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`moderate`";
            x.grants = "GRANT SELECT, UPDATE ON moderation_items, chargers, charger_photos, charger_reviews, profile_changes, users, "
                       "user_sessions TO {role}; GRANT SELECT, INSERT ON coin_transactions, notifications, audit_log TO {role}; "
                       "GRANT USAGE ON SEQUENCE coin_transactions_id_seq TO {role}; "
                       "GRANT SELECT ON charger_verifications, login_attempts, fraud_alerts, user_risk_profiles TO {role}; "
                       "GRANT TEMP ON DATABASE {db} TO {role};";
            x.redis_acl = cache_acl;
            x.data = fixture;
            x.files = {{"decisions.csv", fmt::format("{},approve,fine\n", item(1))}};
            x.works = {area_run("moderate", {"queue"}),
                       area_run("moderate", {"show", item(1)}),
                       area_run("moderate", {"show", item(3)}),
                       area_run("moderate", {"claim", item(2), "--as", "mod1@spot.example"}),
                       area_run("moderate", {"approve", item(2), "--reason", "clear", "--as", "mod1@spot.example"}),
                       area_run("moderate", {"reject", item(3), "--reason", "abusive", "--as", "mod1@spot.example"}),
                       area_run("moderate", {"bulk", "--file", "{dir}/decisions.csv", "--dry-run", "--as", "mod1@spot.example"}),
                       area_run("moderate", {"bulk", "--file", "{dir}/decisions.csv", "--as", "mod1@spot.example"})};
            x.fewer = "REVOKE INSERT ON coin_transactions FROM {role};";
            x.refused = x.works[4];
            x.refusal = "permission denied for table coin_transactions";
            x.done = fmt::format("SELECT (SELECT string_agg(status, ',' ORDER BY id) FROM moderation_items) = 'approved,approved,rejected' "
                                 "AND (SELECT status FROM users WHERE id = '{}') = 'suspended' "
                                 "AND (SELECT count(*) FROM coin_transactions WHERE action IN ('upload_photo', 'add_charger')) = 2",
                                 troll);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`user`";
            x.grants = "GRANT SELECT, UPDATE ON users, user_sessions, login_attempts, payments, charger_verifications TO {role}; "
                       "GRANT DELETE ON user_sessions, notifications, profile_changes, user_risk_profiles TO {role}; "
                       "DO $$ DECLARE t regclass; BEGIN FOR t IN SELECT DISTINCT conrelid::regclass FROM pg_constraint "
                       "WHERE contype = 'f' AND confrelid = 'users'::regclass LOOP EXECUTE format('GRANT SELECT ON %s TO {role}', t); "
                       "END LOOP; END $$; GRANT INSERT, SELECT (id) ON audit_log TO {role};";
            x.redis_acl = cache_acl;
            x.data = fixture;
            x.works = {area_run("user", {"show", person}),
                       area_run("user", {"suspend", troll, "--until", "1d", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("user", {"restore", troll, "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("user", {"ban", troll, "--reason", "x", "--as", "admin@spot.example"}),
                       area_run("user", {"export", person, "--file", "{dir}/export.json", "--as", "mod1@spot.example"}),
                       area_run("user", {"erase", person, "--yes", "--as", "admin@spot.example"})};
            x.fewer = "REVOKE DELETE ON user_sessions FROM {role};";
            x.refused = x.works[5];
            x.refusal = "permission denied for table user_sessions";
            x.done = fmt::format("SELECT string_agg(status, ',' ORDER BY id) = 'deleted,banned' FROM users WHERE id IN ('{}', '{}')",
                                 person, troll);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`staff`";
            x.grants = "GRANT SELECT ON users, role_grants, moderation_items, user_sessions TO {role}; GRANT UPDATE ON users TO {role}; "
                       "GRANT INSERT ON role_grants TO {role}; GRANT INSERT, SELECT (id) ON audit_log TO {role};";
            x.redis_acl = cache_acl;
            x.data = fixture;
            x.works = {area_run("staff", {"list"}),
                       area_run("staff", {"grant", "rider@example.com", "moderator", "--reason", "x", "--as", "admin@spot.example"}),
                       area_run("staff", {"revoke", "mod1@spot.example", "--reason", "x", "--as", "admin@spot.example"})};
            x.fewer = "REVOKE INSERT ON role_grants FROM {role};";
            x.refused = x.works[1];
            x.refusal = "permission denied for table role_grants";
            x.done = "SELECT string_agg(email || '=' || role, ',' ORDER BY email) = 'admin@spot.example=admin,mod1@spot.example=user,"
                     "rider@example.com=moderator' FROM users WHERE role <> 'user' OR email = 'mod1@spot.example'";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`coins`";
            x.grants = "GRANT SELECT, UPDATE ON users TO {role}; GRANT SELECT, INSERT ON coin_transactions TO {role}; "
                       "GRANT USAGE ON SEQUENCE coin_transactions_id_seq TO {role}; GRANT INSERT, SELECT (id) ON audit_log TO {role};";
            x.data = fixture;
            x.works = {area_run("coins", {"show", person}),
                       area_run("coins", {"adjust", person, "200", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("coins", {"redeem", person, "100", "--as", "mod1@spot.example"})};
            x.fewer = "REVOKE USAGE ON SEQUENCE coin_transactions_id_seq FROM {role};";
            x.refused = x.works[1];
            x.refusal = "permission denied for sequence coin_transactions_id_seq";
            x.done = fmt::format("SELECT coin_balance = 105 FROM users WHERE id = '{}'", person);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`audit`";
            x.grants = "GRANT SELECT ON audit_log TO {role}; GRANT SELECT (id, email) ON users TO {role};";
            x.works = {{{"--database-url", "{db}", "audit", "--since", "24h"}}};
            x.fewer = "REVOKE SELECT ON audit_log FROM {role};";
            x.refused = x.works[0];
            x.refusal = "permission denied for table audit_log";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`report run`, `report export`";
            // What the revenue report reads (spotctl-report(1)), and the exported table.
            x.grants = "GRANT SELECT ON payments, reservations, parking_slots, parking_lots TO {role};";
            x.data = fixture;
            x.works = {{{"--database-url", "{db}", "-o", "csv", "report", "run", "revenue", "--from", last_year, "--to", next_year}},
                       {{"--database-url", "{db}", "-o", "csv", "report", "export", "payments", "--from", last_year, "--to", next_year}}};
            x.says = ",INR,card,,succeeded,";  // the exported payment
            x.fewer = "REVOKE SELECT ON parking_lots FROM {role};";
            x.refused = x.works[0];
            x.refusal = "permission denied for table parking_lots";
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`fraud scan`, `backtest`";
            x.grants = "GRANT SELECT ON login_attempts, charger_verifications, chargers, charger_reviews, payments, ip_blacklist TO {role}; "
                       "GRANT SELECT, INSERT, UPDATE ON fraud_alerts TO {role};";
            x.data = std::string(fixture) + "DELETE FROM fraud_alerts;";
            x.works = {{{"--database-url", "{db}", "fraud", "scan", "--since", "2d"}},
                       {{"--database-url", "{db}", "fraud", "backtest", "brute_force", "--since", "2d"}}};
            x.fewer = "REVOKE INSERT ON fraud_alerts FROM {role};";
            x.refused = {{"--database-url", "{db}", "fraud", "scan", "--since", "2d", "--rules", "brute_force"}};
            x.refusal = "permission denied for table fraud_alerts";
            x.done = fmt::format("SELECT count(*) = 1 FROM fraud_alerts WHERE rule = 'brute_force' AND subject_id = '{}'", troll);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`fraud review`, `ip block`/`unblock`, `risk recompute`";
            x.grants = "GRANT SELECT, UPDATE ON fraud_alerts, users, user_sessions TO {role}; "
                       "GRANT SELECT, INSERT ON coin_transactions TO {role}; GRANT USAGE ON SEQUENCE coin_transactions_id_seq TO {role}; "
                       "GRANT SELECT, INSERT, UPDATE ON ip_blacklist TO {role}; GRANT INSERT, SELECT (id) ON audit_log TO {role}; "
                       "GRANT SELECT, INSERT, UPDATE, DELETE ON user_risk_profiles TO {role};";
            x.redis_acl = cache_acl;
            x.data = fixture;
            x.works = {area_run("fraud", {"review", "1", "confirm", "--action", "suspend", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("fraud", {"review", "2", "confirm", "--action", "reverse-coins", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("fraud", {"review", "3", "confirm", "--action", "block-ip", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("fraud", {"ip", "block", "203.0.113.0/24", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("fraud", {"ip", "unblock", "203.0.113.0/24", "--reason", "x", "--as", "mod1@spot.example"}),
                       area_run("fraud", {"risk", "recompute"})};
            x.fewer = "REVOKE USAGE ON SEQUENCE coin_transactions_id_seq FROM {role};";
            x.refused = x.works[1];
            x.refusal = "permission denied for sequence coin_transactions_id_seq";
            x.done = fmt::format("SELECT (SELECT count(*) FROM coin_transactions WHERE action = 'reversal') = 1 "
                                 "AND (SELECT status FROM users WHERE id = '{}') = 'suspended' AND (SELECT count(*) FROM ip_blacklist) = 2 "
                                 "AND (SELECT count(*) FROM user_risk_profiles) = 2",
                                 troll);
            r.push_back(x);
        }
        {
            Row x;
            x.command = "`seed reset`";
            x.grants = "DO $$ DECLARE t text; BEGIN FOR t IN SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
                       "LOOP EXECUTE format('ALTER TABLE %s OWNER TO {role}', t); END LOOP; END $$;";
            x.data = fixture;
            x.works = {{{"--database-url", "{db}", "-q", "seed", "reset", "--yes"}}};
            x.fewer = "ALTER TABLE users OWNER TO postgres;";
            x.refused = x.works[0];
            x.refusal = "must be owner of table users";
            x.done = "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_log) = 0";
            r.push_back(x);
        }
        return r;
    }();
    return all;
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values)
        for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + value.size())) text.replace(pos, key.size(), value);
    return text;
}

// CONNECT, USAGE on public and `grants` for `role` (PUBLIC's defaults taken away first).
void grant(TempDatabase& db, const std::string& role, const std::string& grants) {
    db.conn().exec(fmt::format("REVOKE ALL ON SCHEMA public FROM PUBLIC; REVOKE ALL ON DATABASE {1} FROM PUBLIC; "
                               "GRANT USAGE ON SCHEMA public TO {0}; GRANT CONNECT ON DATABASE {1} TO {0}; {2}",
                               role, db.name(), fill(grants, {{"{role}", role}, {"{db}", db.name()}})));
}

// A login role holding nothing but CONNECT and `grants`; its URL.
std::string role_with(TempDatabase& db, const std::string& grants, std::string* name = nullptr) {
    static int n = 0;
    std::string role = fmt::format("spotctl_least_{}_{}", ::getpid(), n++);
    db.conn().exec(fmt::format("CREATE ROLE {} LOGIN", role));
    grant(db, role, grants);
    if (name) *name = role;
    std::string url = db.url();
    auto pos = url.find("user=postgres");
    REQUIRE(pos != std::string::npos);
    return url.replace(pos, 13, "user=" + role);
}

void require_refused(const RunResult& r, const std::string& what, int code = 77) {
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == code);
    if (code == 77) REQUIRE(r.err.rfind("spotctl: error: ", 0) == 0);
    REQUIRE((r.err + r.out).find(what) != std::string::npos);
}

std::vector<std::string> public_tables(TempDatabase& db) {
    std::vector<std::string> out;
    for (auto row : db.conn().exec("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
        out.push_back(row.str(0));
    return out;
}

// Every key with its time to live: equal before and after a refused run means Redis is untouched.
std::string redis_contents(const PrivateRedis& redis) {
    return run_shell(fmt::format("for k in $(redis-cli -s {0} --scan | sort); do echo \"$k $(redis-cli -s {0} ttl \"$k\")\"; done",
                                 redis.socket()))
        .out;
}

// The README's grants table: first cell -> second cell.
std::map<std::string, std::string> readme_table() {
    std::string readme = slurp(source_dir + "/README.md");
    auto start = readme.find("\n| command | grants |\n|---|---|\n");
    REQUIRE(start != std::string::npos);
    std::map<std::string, std::string> out;
    std::istringstream lines(readme.substr(start + 1));
    std::string line;
    std::getline(lines, line);
    std::getline(lines, line);
    while (std::getline(lines, line) && line.rfind("| ", 0) == 0) {
        // Cells are split at a '|' that is not escaped (`+memory\|usage`).
        std::vector<std::string> cells(1);
        for (std::size_t i = 1; i < line.size(); ++i) {
            if (line[i] == '|' && line[i - 1] != '\\') cells.emplace_back();
            else cells.back() += line[i];
        }
        REQUIRE(cells.size() >= 2);
        auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(' '));
            s.erase(s.find_last_not_of(' ') + 1);
            return s;
        };
        out[trim(cells[0])] = trim(cells[1]);
    }
    return out;
}

std::set<std::string> tables_named(const std::string& text, const std::set<std::string>& tables) {
    std::set<std::string> out;
    static const std::regex word("[a-z_]+");
    for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it)
        if (tables.count(it->str())) out.insert(it->str());
    return out;
}

}  // namespace

TEST_CASE("permissions: every row of the README's grants table is tested, with the tables the README names", "[permissions][docs]") {
    auto readme = readme_table();
    REQUIRE(readme.size() == 16);
    std::set<std::string> tested;
    for (const auto& row : rows()) tested.insert(row.command);
    std::set<std::string> documented;
    for (const auto& [command, grants] : readme) documented.insert(command);
    REQUIRE(tested == documented);

    TempDatabase db("spotctl_template");
    std::set<std::string> tables;
    for (const auto& t : public_tables(db)) tables.insert(t);
    for (const auto& row : rows()) {
        INFO("README row " << row.command << ": " << readme[row.command]);
        auto named = tables_named(readme[row.command], tables);
        // A row that names no table (the report's, which points at the man page) is not compared.
        if (!named.empty()) REQUIRE(tables_named(row.grants, tables) == named);
    }
}

TEST_CASE("permissions: each README row works with exactly its grants, and with one fewer is refused, changing nothing",
          "[permissions]") {
    for (const auto& row : rows()) {
        DYNAMIC_SECTION(row.command) {
            TempDatabase db(row.template_db);
            TempDir dir;
            for (const auto& [name, content] : row.files) dir.write(name, content);
            std::optional<PrivateRedis> redis;
            std::map<std::string, std::string> values = {{"{seeds}", source_dir + "/seeds"}, {"{migrations}", source_dir + "/migrations"},
                                                         {"{dir}", dir.path().string()}, {"{db}", db.url()},
                                                         {"{redis}", required_env("SPOTCTL_TEST_REDIS")}};
            if (!row.redis_acl.empty()) {
                redis.emplace();
                values["{redis}"] = redis->url();
                for (const auto& key : row.redis_keys) redis->cli("SET " + key + " cached");
            }
            auto run = [&](const Run& r, const std::map<std::string, std::string>& as) {
                std::vector<std::string> args;
                for (const auto& a : r.args) args.push_back(fill(a, as));
                return run_spotctl(args);
            };
            for (const auto& step : row.setup) REQUIRE(run(step, values).exit_code == 0);
            if (!row.data.empty()) db.conn().exec(row.data);

            std::string role;
            std::string url = role_with(db, row.grants, &role);
            auto as_role = values;
            as_role["{db}"] = url;
            std::string redis_full, redis_fewer;
            if (redis) {
                // Each rule quoted for the shell: `+memory|usage` holds a '|'.
                auto quoted = [](const std::string& rules) {
                    std::istringstream in(rules);
                    std::string out;
                    for (std::string rule; in >> rule;) out += " '" + rule + "'";
                    return out;
                };
                REQUIRE(redis->cli("ACL SETUSER spotctl on '>pw' '~*' resetchannels -@all" + quoted(row.redis_acl)) == "OK");
                REQUIRE(redis->cli("ACL SETUSER spotctl_fewer on '>pw' '~*' resetchannels -@all" + quoted(row.redis_acl) +
                                   (row.fewer[0] == '-' ? quoted(row.fewer) : "")) == "OK");
                as_role["{redis}"] = redis->url() + "?user=spotctl&password=pw";
            }

            // One grant fewer: refused, and nothing changed.
            const auto tables = public_tables(db);
            const std::string before = contents(db, tables), redis_before = redis ? redis_contents(*redis) : "";
            auto fewer = as_role;
            if (row.fewer[0] == '-') {
                fewer["{redis}"] = redis->url() + "?user=spotctl_fewer&password=pw";
            } else {
                db.conn().exec(fill(row.fewer, {{"{role}", role}, {"{db}", db.name()}}));
            }
            require_refused(run(row.refused, row.refused.superuser ? values : fewer), row.refusal, row.refused_exit);
            REQUIRE(contents(db, tables) == before);
            if (redis) REQUIRE(redis_contents(*redis) == redis_before);

            // Exactly the grants again: every command of the row works.
            if (row.fewer[0] != '-') grant(db, role, row.grants);
            std::string said;
            for (const auto& step : row.works) {
                auto r = run(step, step.superuser ? values : as_role);
                INFO(fmt::format("{}\n{}{}", fmt::join(step.args, " "), r.out, r.err));
                REQUIRE(step.ok.count(r.exit_code) == 1);
                said += r.out + r.err;
            }
            if (!row.says.empty()) REQUIRE(said.find(row.says) != std::string::npos);
            if (!row.done.empty()) {
                db.conn().exec(fmt::format("SET spotctl.role = '{}'", role));
                REQUIRE(db.scalar(row.done) == "t");
            }
            if (!row.redis_done.empty()) REQUIRE(redis->cli(row.redis_done) == "0");
        }
    }
}

TEST_CASE("permissions: a role that may read the migration state may not change the schema", "[permissions][migrate]") {
    TempDatabase db("spotctl_template");
    std::string dir = source_dir + "/migrations";
    auto url = role_with(db, "GRANT SELECT ON spotctl_schema_migrations TO {role};");
    auto down = run_spotctl({"--database-url", url, "migrate", "--dir", dir, "down", "--yes"});
    INFO(down.err);
    REQUIRE(down.exit_code == 77);
    REQUIRE(db.scalar("SELECT count(*) FROM spotctl_schema_migrations") == std::to_string(platform_migration_count()));
}
