// spotctl prune against a real PostgreSQL with the platform schema: each retention policy
// removes exactly what it says, anonymisation keeps the ledger and payments consistent and is
// audited, batches, the single-run lock, settings and metrics.
#include <catch2/catch.hpp>
#include <chrono>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/job_lock.hpp"
#include "support/harness.hpp"
#include "support/interrupt.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Users: a1 active; d1 deleted 40 days ago with history; d2 deleted 10 days ago; d3 deleted and
// anonymised long ago. Every other row is named after what prune should do with it.
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, phone, password_hash, status, updated_at) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'active@example.com', 'Active', '+919800000001', 'hash-a1', 'active', now()),
  ('00000000-0000-4000-8000-0000000000d1', 'gone@example.com', 'Gone Person', '+919800000002', 'hash-d1', 'active', now()),
  ('00000000-0000-4000-8000-0000000000d2', 'recent@example.com', 'Recent', NULL, 'hash-d2', 'deleted', now() - interval '10 days'),
  ('00000000-0000-4000-8000-0000000000d3', NULL, NULL, NULL, NULL, 'deleted', now() - interval '400 days');
-- d1's coin ledger and a payment: balance 30, both must survive the anonymisation.
INSERT INTO coin_transactions (user_id, action, amount) VALUES
  ('00000000-0000-4000-8000-0000000000d1', 'adjustment', 50),
  ('00000000-0000-4000-8000-0000000000d1', 'redeem', -20);
INSERT INTO payments (id, user_id, amount_minor, currency, method, card_fingerprint, status) VALUES
  ('00000000-0000-4000-8000-00000000cc01', '00000000-0000-4000-8000-0000000000d1', 1000, 'INR', 'card', 'fp-d1', 'succeeded');
-- Deleted 40 days ago (the ledger trigger just moved updated_at, so set it with the trigger off).
ALTER TABLE users DISABLE TRIGGER users_set_updated_at;
UPDATE users SET status = 'deleted', updated_at = now() - interval '40 days' WHERE id = '00000000-0000-4000-8000-0000000000d1';
ALTER TABLE users ENABLE TRIGGER users_set_updated_at;

INSERT INTO user_sessions (id, user_id, token_hash, created_at, expires_at) VALUES
  ('00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-0000000000a1', md5('1') || md5('x'), now() - interval '2 days', now() - interval '1 day'),
  ('00000000-0000-4000-8000-00000000e002', '00000000-0000-4000-8000-0000000000a1', md5('2') || md5('x'), now() - interval '2 hours', now() - interval '1 hour'),
  ('00000000-0000-4000-8000-00000000a003', '00000000-0000-4000-8000-0000000000a1', md5('3') || md5('x'), now(), now() + interval '1 day'),
  ('00000000-0000-4000-8000-00000000d004', '00000000-0000-4000-8000-0000000000d1', md5('4') || md5('x'), now(), now() + interval '1 day');

INSERT INTO login_attempts (user_id, email, ip, success, created_at)
SELECT '00000000-0000-4000-8000-0000000000a1', 'active@example.com', '10.0.0.1', true, now() - interval '100 days' - i * interval '1 minute'
  FROM generate_series(1, 100) i;
INSERT INTO login_attempts (user_id, email, ip, success, created_at)
SELECT NULL, 'who@example.com', '10.0.0.2', false, now() - interval '80 days' FROM generate_series(1, 10);
INSERT INTO login_attempts (user_id, email, ip, success, created_at)
SELECT '00000000-0000-4000-8000-0000000000d1', 'gone@example.com', '10.0.0.3', true, now() - interval '5 days' FROM generate_series(1, 3);

INSERT INTO notifications (id, user_id, channel, template, status, sent_at, read_at, created_at) VALUES
  ('00000000-0000-4000-8000-00000000e101', '00000000-0000-4000-8000-0000000000a1', 'push', 'hello', 'sent', now() - interval '41 days', now() - interval '40 days', now() - interval '41 days'),
  ('00000000-0000-4000-8000-00000000a102', '00000000-0000-4000-8000-0000000000a1', 'push', 'hello', 'sent', now() - interval '6 days', now() - interval '5 days', now() - interval '6 days'),
  ('00000000-0000-4000-8000-00000000a103', '00000000-0000-4000-8000-0000000000a1', 'push', 'hello', 'sent', now() - interval '60 days', NULL, now() - interval '60 days'),
  ('00000000-0000-4000-8000-00000000d104', '00000000-0000-4000-8000-0000000000d1', 'email', 'bye', 'pending', NULL, NULL, now());

INSERT INTO profile_changes (user_id, field, old_value, new_value) VALUES
  ('00000000-0000-4000-8000-0000000000d1', 'name', 'Gone Person', 'Gone P.');

-- Guests: e9 idle for 40 days with a risk profile (both deleted); a8 as idle but in the coin
-- ledger (kept: the ledger points at it); a7 seen 5 days ago (kept).
INSERT INTO users (id, is_guest, created_at, last_login_at) VALUES
  ('00000000-0000-4000-8000-0000000000e9', true, now() - interval '50 days', now() - interval '40 days'),
  ('00000000-0000-4000-8000-0000000000a8', true, now() - interval '50 days', now() - interval '40 days'),
  ('00000000-0000-4000-8000-0000000000a7', true, now() - interval '50 days', now() - interval '5 days');
INSERT INTO coin_transactions (user_id, action, amount) VALUES ('00000000-0000-4000-8000-0000000000a8', 'verify_charger', 5);
INSERT INTO user_risk_profiles (user_id, score) VALUES ('00000000-0000-4000-8000-0000000000e9', 0.1);
INSERT INTO user_risk_profiles (user_id, score) VALUES ('00000000-0000-4000-8000-0000000000d1', 0.5);

INSERT INTO parking_lots (id, name, address, city, latitude, longitude, timezone) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'Lot', '1 Road', 'Pune', 18.5, 73.8, 'Asia/Kolkata');
INSERT INTO parking_slots (id, lot_id, label) VALUES ('00000000-0000-4000-8000-00000000f002', '00000000-0000-4000-8000-00000000f001', 'A1');
INSERT INTO reservations (id, user_id, slot_id, starts_at, ends_at, status, hold_expires_at) VALUES
  ('00000000-0000-4000-8000-00000000e201', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000f002', now() + interval '1 day', now() + interval '1 day 1 hour', 'pending', now() - interval '1 hour'),
  ('00000000-0000-4000-8000-00000000a202', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000f002', now() + interval '2 days', now() + interval '2 days 1 hour', 'pending', now() + interval '1 hour'),
  ('00000000-0000-4000-8000-00000000a203', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000f002', now() + interval '3 days', now() + interval '3 days 1 hour', 'confirmed', now() - interval '2 days');
INSERT INTO payments (user_id, reservation_id, amount_minor, currency, method, status) VALUES
  ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000e201', 500, 'INR', 'upi', 'pending');

INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, added_by) VALUES
  ('00000000-0000-4000-8000-00000000f101', 'Charger', '2 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, '00000000-0000-4000-8000-0000000000a1');
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url, status, reviewed_at) VALUES
  ('00000000-0000-4000-8000-00000000e301', '00000000-0000-4000-8000-00000000f101', '00000000-0000-4000-8000-0000000000a1', 's3://p/1', 'rejected', now() - interval '40 days'),
  ('00000000-0000-4000-8000-00000000a302', '00000000-0000-4000-8000-00000000f101', '00000000-0000-4000-8000-0000000000a1', 's3://p/2', 'rejected', now() - interval '5 days'),
  ('00000000-0000-4000-8000-00000000a303', '00000000-0000-4000-8000-00000000f101', '00000000-0000-4000-8000-0000000000a1', 's3://p/3', 'approved', now() - interval '40 days'),
  ('00000000-0000-4000-8000-00000000a304', '00000000-0000-4000-8000-00000000f101', '00000000-0000-4000-8000-0000000000a1', 's3://p/4', 'pending', NULL);
)SQL";

RunResult prune(const TempDatabase& db, std::vector<std::string> args, std::vector<std::string> global = {}) {
    std::vector<std::string> full = {"--database-url", db.url()};
    full.insert(full.end(), global.begin(), global.end());
    full.push_back("prune");
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

// Policy name -> rows, from -o json.
std::map<std::string, long long> rows_by_policy(const RunResult& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(nlohmann::json::accept(r.out));
    std::map<std::string, long long> out;
    for (const auto& row : nlohmann::json::parse(r.out)) out[row["policy"].get<std::string>()] = row["rows"].get<long long>();
    return out;
}

std::string ids(TempDatabase& db, const std::string& table, const std::string& where = "true") {
    return db.scalar(fmt::format("SELECT coalesce(string_agg(right(id::text, 4), ',' ORDER BY id), '') FROM {} WHERE {}", table, where));
}

// Everything the fixture holds, as one comparable string.
std::string snapshot(TempDatabase& db) {
    return db.scalar(R"(SELECT concat_ws('|',
        (SELECT string_agg(u::text, ';' ORDER BY id) FROM users u),
        (SELECT count(*) FROM user_sessions), (SELECT count(*) FROM login_attempts), (SELECT count(*) FROM notifications),
        (SELECT string_agg(status, ',' ORDER BY id) FROM reservations), (SELECT count(*) FROM charger_photos),
        (SELECT count(*) FROM audit_log)))");
}

// A server's transaction holding the locks `lock_sql` takes, until it ends.
struct ServerTransaction {
    explicit ServerTransaction(TempDatabase& db, const std::string& lock_sql)
        : conn(pg::Settings{db.url(), "spotctl tests server"}), tx(conn.begin()) {
        tx.exec(lock_sql);
    }
    pg::Connection conn;
    pg::Transaction tx;
};

// True once spotctl's prune session (not its lock's) waits for a lock.
bool prune_waits_for_lock(TempDatabase& db) {
    return wait_for(db, "SELECT count(*) = 1 FROM pg_stat_activity WHERE datname = current_database() "
                        "AND application_name LIKE 'spotctl prune%' AND application_name NOT LIKE 'spotctl prune lock%' "
                        "AND wait_event_type = 'Lock'");
}

const std::map<std::string, long long> due = {{"sessions", 2},      {"login_attempts", 100}, {"notifications", 1},
                                             {"reservations", 1},  {"photos", 1},           {"deleted_accounts", 1},
                                             {"guest_accounts", 1}};

}  // namespace

TEST_CASE("prune counts in a dry run, then removes exactly what each policy says and nothing else", "[prune]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    std::string before = snapshot(db);

    REQUIRE(rows_by_policy(prune(db, {"--dry-run"}, {"-o", "json"})) == due);
    REQUIRE(snapshot(db) == before);

    REQUIRE(rows_by_policy(prune(db, {}, {"-o", "json"})) == due);
    // The e... rows were due; the a... and d... rows stay (d... ones go with the anonymisation).
    REQUIRE(ids(db, "user_sessions") == "a003");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE created_at < now() - interval '90 days'") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts") == "13");
    REQUIRE(ids(db, "notifications") == "a102,a103");
    REQUIRE(db.scalar("SELECT string_agg(right(id::text, 4) || '=' || status, ',' ORDER BY id) FROM reservations") ==
            "a202=pending,a203=confirmed,e201=expired");
    REQUIRE(db.scalar("SELECT count(*) FROM payments WHERE reservation_id = '00000000-0000-4000-8000-00000000e201'") == "1");
    REQUIRE(ids(db, "charger_photos") == "a302,a303,a304");
    REQUIRE(ids(db, "users", "is_guest") == "00a7,00a8");
    REQUIRE(db.scalar("SELECT count(*) FROM user_risk_profiles WHERE user_id = '00000000-0000-4000-8000-0000000000e9'") == "0");
    REQUIRE(db.scalar("SELECT after->'policies'->'guest_accounts'->>'rows' FROM audit_log WHERE action = 'prune.run'") == "1");

    // A second run finds nothing more to do and records nothing.
    auto audit_rows = db.scalar("SELECT count(*) FROM audit_log");
    std::map<std::string, long long> nothing;
    for (const auto& [policy, rows] : due) nothing[policy] = 0;
    REQUIRE(rows_by_policy(prune(db, {}, {"-o", "json"})) == nothing);  // every policy reported, each with 0 rows
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == audit_rows);
}

TEST_CASE("deleted accounts are anonymised with one audit row each, and the ledger and payments stay consistent", "[prune]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto r = prune(db, {"deleted_accounts"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT concat_ws(',', status, email, name, phone, password_hash, coin_balance) FROM users "
                      "WHERE id = '00000000-0000-4000-8000-0000000000d1'") == "deleted,30");
    // Recently deleted and already anonymised accounts are left as they are.
    REQUIRE(db.scalar("SELECT email FROM users WHERE id = '00000000-0000-4000-8000-0000000000d2'") == "recent@example.com");
    REQUIRE(db.scalar("SELECT email FROM users WHERE id = '00000000-0000-4000-8000-0000000000a1'") == "active@example.com");
    // The ledger still sums to the balance, row by row; the payment is untouched.
    REQUIRE(db.scalar("SELECT count(*) FROM users u WHERE coin_balance <> "
                      "(SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM coin_transactions WHERE user_id = '00000000-0000-4000-8000-0000000000d1'") == "2");
    REQUIRE(db.scalar("SELECT concat_ws(',', amount_minor, status, card_fingerprint) FROM payments "
                      "WHERE id = '00000000-0000-4000-8000-00000000cc01'") == "1000,succeeded,fp-d1");
    // What a deletion of the user would have taken along is gone; login attempts lose the link.
    for (const char* table : {"user_sessions", "notifications", "profile_changes", "user_risk_profiles"})
        REQUIRE(db.scalar(fmt::format("SELECT count(*) FROM {} WHERE user_id = '00000000-0000-4000-8000-0000000000d1'", table)) == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE email = 'gone@example.com' OR (ip = '10.0.0.3' AND user_id IS NOT NULL)") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE ip = '10.0.0.3'") == "3");

    // One audit row for the account, naming the fields erased but not their values, and one for the run.
    REQUIRE(db.scalar("SELECT string_agg(action || ':' || coalesce(subject_type, '-') || ':' || coalesce(right(subject_id, 2), '-'), ',' "
                      "ORDER BY id) FROM audit_log") == "prune.anonymise:user:d1,prune.run:-:-");
    REQUIRE(db.scalar("SELECT before::text FROM audit_log WHERE action = 'prune.anonymise'") ==
            R"({"status": "deleted", "fields_set": ["email", "name", "phone", "password_hash"]})");
    REQUIRE(db.scalar("SELECT concat_ws(',', after->>'sessions_deleted', after->>'notifications_deleted', after->>'profile_changes_deleted', "
                      "after->>'risk_profile_deleted', after->>'login_attempts_unlinked') FROM audit_log WHERE action = 'prune.anonymise'") ==
            "1,1,1,1,3");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log WHERE concat(before, after, reason) ~ 'gone@|Gone Person|9800000002|hash-d1'") == "0");
    REQUIRE(db.scalar("SELECT after->'policies'->'deleted_accounts'->>'rows' FROM audit_log WHERE action = 'prune.run'") == "1");
}

TEST_CASE("a second prune while one runs exits 75 at once, and a dry run needs no lock", "[prune][lock]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto lock = JobLock::acquire(pg::Settings{db.url(), "spotctl tests"}, "prune", Millis(0));
    auto r = prune(db, {});
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.rfind("spotctl: error: another 'prune' run holds the lock: 'spotctl prune lock (", 0) == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts") == "113");
    REQUIRE(rows_by_policy(prune(db, {"--dry-run", "login_attempts"}, {"-o", "json"})) == std::map<std::string, long long>{{"login_attempts", 100}});
}

TEST_CASE("retention days come from the flag, then the configuration file, then the default", "[prune][config]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    auto config = dir.write("config.toml", "[prune]\nlogin_attempts_days = 50\n").string();
    // The flag (85 days) wins over the file: only the 100-day-old attempts go.
    REQUIRE(rows_by_policy(prune(db, {"login_attempts", "--login-attempts-days", "85"}, {"-o", "json", "--config", config})) ==
            std::map<std::string, long long>{{"login_attempts", 100}});
    // Then the file's 50 days: the 80-day-old ones too.
    REQUIRE(rows_by_policy(prune(db, {"login_attempts"}, {"-o", "json", "--config", config})) ==
            std::map<std::string, long long>{{"login_attempts", 10}});
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts") == "3");

    auto bad_config = dir.write("bad.toml", "[prune]\nnotifications_days = \"soon\"\n").string();
    auto bad = prune(db, {"--dry-run"}, {"--config", bad_config});
    REQUIRE(bad.exit_code == 78);
    REQUIRE(bad.err.rfind(fmt::format("spotctl: error: {}:2: invalid value for --notifications-days", bad_config), 0) == 0);
    auto unknown = prune(db, {"logins"});
    REQUIRE(unknown.exit_code == 64);
    REQUIRE(unknown.err == "spotctl: error: unknown retention policy 'logins'\n"
                           "spotctl: hint: the policies are: sessions, login_attempts, notifications, reservations, photos, deleted_accounts, guest_accounts\n");
}

TEST_CASE("prune --to moves the cut-off earlier, never later, a date including its whole day", "[prune][config]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    const std::vector<std::string> fifty_days = {"--dry-run", "login_attempts", "--login-attempts-days", "50"};
    auto with = [&](std::vector<std::string> extra) {
        extra.insert(extra.begin(), fifty_days.begin(), fifty_days.end());
        return rows_by_policy(prune(db, extra, {"-o", "json"}));
    };
    const std::map<std::string, long long> both_ages = {{"login_attempts", 110}}, oldest = {{"login_attempts", 100}};
    REQUIRE(with({}) == both_ages);  // 50 days: the 100- and the 80-day-old attempts
    CHECK(with({"--to", "90d"}) == oldest);
    // The day 85 days ago, all of it: still before the 80-day-old attempts.
    CHECK(with({"--to", db.scalar("SELECT (now() - interval '85 days')::date::text")}) == oldest);
    CHECK(with({"--to", "tomorrow"}) == both_ages);  // later than the retention's cut-off: the retention's holds
}

TEST_CASE("prune works in batches of --batch-size rows, including rows that share a timestamp", "[prune]") {
    TempDatabase db("spotctl_template");
    // 250 attempts at one instant and 50 spread out: batch boundaries fall inside the tie.
    db.conn().exec("INSERT INTO login_attempts (ip, success, created_at) "
                   "SELECT '10.1.0.1', false, timestamptz '2020-01-01 00:00:00+00' FROM generate_series(1, 250);"
                   "INSERT INTO login_attempts (ip, success, created_at) "
                   "SELECT '10.1.0.2', false, timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second' FROM generate_series(1, 50) i;"
                   "INSERT INTO login_attempts (ip, success) SELECT '10.1.0.3', true FROM generate_series(1, 20);");
    auto r = prune(db, {"login_attempts", "--batch-size", "100"}, {"-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto report = nlohmann::json::parse(r.out);
    REQUIRE(report[0]["rows"] == 300);
    REQUIRE(report[0]["batches"] == 3);
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts") == "20");
    REQUIRE(prune(db, {"--batch-size", "0"}).exit_code == 64);
}

TEST_CASE("prune --metrics-file writes the job metrics and the per-policy ones after a run, none after a dry run", "[prune]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    auto dry = prune(db, {"--dry-run", "--metrics-file", (dir / "dry.prom").string()});
    REQUIRE(dry.exit_code == 0);
    REQUIRE(!std::filesystem::exists(dir / "dry.prom"));

    auto r = prune(db, {"--metrics-file", (dir / "prune.prom").string()}, {"-o", "json"});
    REQUIRE(r.exit_code == 0);
    long long total = 0;
    for (const auto& [policy, rows] : rows_by_policy(r)) total += rows;
    std::string metrics = slurp(dir / "prune.prom");
    REQUIRE(metrics.find("# TYPE spotctl_prune_rows_removed gauge\n") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_prune_rows_removed{job=\"prune\",policy=\"login_attempts\"} 100\n") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_prune_rows_removed{job=\"prune\",policy=\"deleted_accounts\"} 1\n") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_prune_duration_seconds{job=\"prune\",policy=\"sessions\"} ") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_last_success_timestamp_seconds{job=\"prune\"} ") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_exit_code{job=\"prune\"} 0\n") != std::string::npos);
    REQUIRE(metrics.find("\nspotctl_rows_affected{job=\"prune\"} " + std::to_string(total) + "\n") != std::string::npos);
    // Written atomically: no temporary file is left beside it.
    REQUIRE(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("rows the servers hold locked are skipped, not waited for, and go in a later run", "[prune][lock]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // A server holds ten of the hundred due attempts, spread over the batches.
    const std::string held = "SELECT id FROM login_attempts WHERE created_at < now() - interval '95 days' AND id % 10 = 0";
    REQUIRE(db.scalar("SELECT count(*) FROM (" + held + ") h") == "10");
    const std::string held_ids = db.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM (" + held + ") h");
    std::optional<ServerTransaction> server(std::in_place, db, held + " FOR UPDATE");
    // Finishing while the server still holds them proves prune did not wait (it would have
    // waited, then failed on its 5s lock_timeout).
    auto r = prune(db, {"login_attempts", "--batch-size", "30"}, {"-o", "json"});
    REQUIRE(rows_by_policy(r) == std::map<std::string, long long>{{"login_attempts", 90}});
    REQUIRE(db.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM login_attempts WHERE created_at < now() - interval '95 days'") ==
            held_ids);
    server.reset();  // the server's transaction ends
    REQUIRE(rows_by_policy(prune(db, {"login_attempts"}, {"-o", "json"})) == std::map<std::string, long long>{{"login_attempts", 10}});
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE created_at < now() - interval '95 days'") == "0");
}

TEST_CASE("a prune that loses its lock stops before its next commit and exits 75", "[prune][lock]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // The notifications batch queues behind a table lock: the moment to take prune's lock away.
    std::optional<ServerTransaction> ddl(std::in_place, db, "LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE");
    Background run({"--database-url", db.url(), "prune", "login_attempts", "notifications"});
    REQUIRE(prune_waits_for_lock(db));
    REQUIRE(db.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND application_name LIKE 'spotctl prune lock%'") == "1");
    ddl.reset();  // the batch goes on, and must not commit
    auto r = run.wait();
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.rfind("spotctl: error: lost the 'prune' lock: its connection to PostgreSQL was closed; stopping before the next step\n", 0) == 0);
    REQUIRE(ids(db, "notifications") == "a102,a103,d104,e101");  // e101 was due: its batch rolled back
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts") == "13");  // the policy before it had committed
    // What did commit is audited, with what stopped the run.
    REQUIRE(db.scalar("SELECT after->'policies'->'login_attempts'->>'rows' FROM audit_log WHERE action = 'prune.run'") == "100");
    REQUIRE(db.scalar("SELECT after->>'stopped_by' FROM audit_log WHERE action = 'prune.run'").rfind("lost the 'prune' lock", 0) == 0);
}

TEST_CASE("a batch kept waiting over 5s for a table lock exits 75 and the metrics file keeps the last success", "[prune][lock]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir dir;
    const auto metrics = dir.write("prune.prom",
                                   "# TYPE spotctl_last_success_timestamp_seconds gauge\n"
                                   "spotctl_last_success_timestamp_seconds{job=\"prune\"} 1795000000\n"
                                   "spotctl_prune_rows_removed{job=\"prune\",policy=\"photos\"} 7\n");
    std::optional<ServerTransaction> ddl(std::in_place, db, "LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE");
    auto started = std::chrono::steady_clock::now();
    auto r = prune(db, {"login_attempts", "notifications", "photos", "--metrics-file", metrics.string()});
    auto waited = std::chrono::steady_clock::now() - started;
    ddl.reset();
    INFO(r.err);
    REQUIRE(r.exit_code == 75);
    REQUIRE(r.err.rfind("spotctl: error: canceling statement due to lock timeout\n", 0) == 0);
    // It waited for the table, and gave up after its 5s (loosely: a loaded machine only adds).
    REQUIRE(waited >= std::chrono::milliseconds(4500));
    REQUIRE(waited < std::chrono::seconds(30));
    REQUIRE(ids(db, "notifications") == "a102,a103,d104,e101");
    REQUIRE(ids(db, "charger_photos") == "a302,a303,a304,e301");  // the policies after it never ran
    REQUIRE(db.scalar("SELECT count(*) || ' ' || string_agg(after->>'stopped_by', '') FROM audit_log WHERE action = 'prune.run'") ==
            "1 canceling statement due to lock timeout");
    // A failed run keeps the last success's time and detail, so an alert on its age fires, and
    // says how it failed and what it committed first (login_attempts' 100 rows).
    std::string after = slurp(metrics);
    INFO(after);
    REQUIRE(after.find("\nspotctl_last_success_timestamp_seconds{job=\"prune\"} 1795000000\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_prune_rows_removed{job=\"prune\",policy=\"photos\"} 7\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_exit_code{job=\"prune\"} 75\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_rows_affected{job=\"prune\"} 100\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_duration_seconds{job=\"prune\"} ") != std::string::npos);
    REQUIRE(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
    // Run again once the table is free: it goes on.
    REQUIRE(rows_by_policy(prune(db, {"notifications"}, {"-o", "json"})) == std::map<std::string, long long>{{"notifications", 1}});
}
