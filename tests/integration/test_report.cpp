// spotctl report against a real PostgreSQL with the platform schema: every report's figures on
// a small hand-built data set, checked against independent SQL; periods in a time zone and
// across daylight-saving changes; CSV read back by PostgreSQL's COPY and by Python's csv
// module; the formula guard; PDF text, structure and reproducibility; manifests, metrics,
// atomic output and the replica.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <thread>

#include "commands/report/catalog.hpp"
#include "core/sha256.hpp"
#include "support/harness.hpp"
#include "support/replica.hpp"
#include "support/interrupt.hpp"

using namespace spotctl;
using namespace spotctl::test;
using nlohmann::json;

namespace {

// Users u1 (Alice), u2 (Bob), m1 (a moderator). Two lots (Pune, Devanagari name; 東京), four
// slots; reservations and payments around the 2026-03-29 change to summer time in Berlin
// (01:00 UTC). Charger verifications, coins, moderation items and fraud alerts on 28-30 March.
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, role, created_at) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'alice@example.com', 'Alice', 'user', '2026-03-28 10:00Z'),
  ('00000000-0000-4000-8000-0000000000a2', 'bob@example.com', 'Bob', 'user', '2026-03-29 12:00Z'),
  ('00000000-0000-4000-8000-0000000000b1', 'mona@example.com', 'Mona', 'moderator', '2026-01-01 00:00Z');
INSERT INTO parking_lots (id, name, address, city, latitude, longitude, timezone) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'कोरेगाव पार्क', '1 North Main Road', 'Pune', 18.53, 73.89, 'Asia/Kolkata'),
  ('00000000-0000-4000-8000-00000000f002', '渋谷 Parking', '2-1 Dogenzaka', '東京', 35.65, 139.70, 'Asia/Tokyo');
INSERT INTO parking_slots (id, lot_id, label, slot_type) VALUES
  ('00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-00000000f001', 'A1', 'standard'),
  ('00000000-0000-4000-8000-00000000e002', '00000000-0000-4000-8000-00000000f001', 'A2', 'standard'),
  ('00000000-0000-4000-8000-00000000e003', '00000000-0000-4000-8000-00000000f001', 'E1', 'ev'),
  ('00000000-0000-4000-8000-00000000e004', '00000000-0000-4000-8000-00000000f002', 'B1', 'standard');
INSERT INTO reservations (id, user_id, slot_id, starts_at, ends_at, status) VALUES
  ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000e001', '2026-03-28 10:00Z', '2026-03-28 14:00Z', 'completed'),
  ('00000000-0000-4000-8000-00000000d002', '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-00000000e002', '2026-03-28 23:30Z', '2026-03-29 01:30Z', 'completed'),
  ('00000000-0000-4000-8000-00000000d003', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000e004', '2026-03-30 08:00Z', '2026-03-30 09:00Z', 'completed'),
  ('00000000-0000-4000-8000-00000000d004', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000e001', '2026-03-30 10:00Z', '2026-03-30 11:00Z', 'cancelled');
INSERT INTO payments (id, user_id, reservation_id, amount_minor, currency, method, provider_ref, status, created_at, refunded_at) VALUES
  ('00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000d001', 1000, 'INR', 'card', 'ref-1', 'succeeded', '2026-03-28 14:05Z', NULL),
  ('00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-00000000d002', 500, 'INR', 'upi', 'ref-2', 'refunded', '2026-03-28 23:45Z', '2026-03-30 10:00Z'),
  ('00000000-0000-4000-8000-00000000c003', '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000d003', 700, 'EUR', 'card', 'ref-3', 'succeeded', '2026-03-30 09:05Z', NULL),
  ('00000000-0000-4000-8000-00000000c004', '00000000-0000-4000-8000-0000000000a1', NULL, 250, 'INR', 'wallet', 'ref-4', 'failed', '2026-03-28 15:00Z', NULL),
  ('00000000-0000-4000-8000-00000000c005', '00000000-0000-4000-8000-0000000000a2', NULL, 300, 'INR', 'card', 'ref-5', 'succeeded', '2026-03-29 00:30Z', NULL);
INSERT INTO login_attempts (user_id, email, ip, success, created_at) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'alice@example.com', '10.0.0.1', true, '2026-03-28 11:00Z'),
  ('00000000-0000-4000-8000-0000000000a1', 'alice@example.com', '10.0.0.1', true, '2026-03-29 11:00Z'),
  ('00000000-0000-4000-8000-0000000000a2', 'bob@example.com', '10.0.0.2', true, '2026-03-29 13:00Z'),
  ('00000000-0000-4000-8000-0000000000a2', 'bob@example.com', '10.0.0.2', false, '2026-03-30 13:00Z');
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, status, added_by, created_at) VALUES
  ('00000000-0000-4000-8000-00000000a101', 'Pune Central', '3 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, 'active', '00000000-0000-4000-8000-0000000000a1', '2026-03-28 09:00Z'),
  ('00000000-0000-4000-8000-00000000a102', '渋谷 充電', '4 Road', '東京', 35.6, 139.7, '{CHAdeMO}', 1, 1, 'active', NULL, '2026-03-01 09:00Z');
INSERT INTO charger_verifications (charger_id, user_id, reported_status, created_at) VALUES
  ('00000000-0000-4000-8000-00000000a101', '00000000-0000-4000-8000-0000000000a2', 'available', '2026-03-29 10:00Z'),
  ('00000000-0000-4000-8000-00000000a102', '00000000-0000-4000-8000-0000000000a1', 'broken', '2026-03-30 10:00Z');
INSERT INTO coin_transactions (user_id, action, amount, description, created_at) VALUES
  ('00000000-0000-4000-8000-0000000000a1', 'add_charger', 50, 'Added Pune Central', '2026-03-28 09:00Z'),
  ('00000000-0000-4000-8000-0000000000a2', 'review', 10, 'Reviewed', '2026-03-29 10:00Z'),
  ('00000000-0000-4000-8000-0000000000a1', 'redeem', -20, 'Coupon', '2026-03-30 10:00Z');
INSERT INTO moderation_items (subject_type, subject_id, reason, status, decided_by, decided_at, created_at) VALUES
  ('charger', '00000000-0000-4000-8000-00000000a101', 'new charger', 'approved', '00000000-0000-4000-8000-0000000000b1', '2026-03-28 10:00Z', '2026-03-28 08:00Z'),
  ('review', '00000000-0000-4000-8000-000000000111', 'reported', 'rejected', '00000000-0000-4000-8000-0000000000b1', '2026-03-29 09:00Z', '2026-03-28 09:00Z'),
  ('photo', '00000000-0000-4000-8000-000000000112', 'new photo', 'open', NULL, NULL, '2026-03-29 15:00Z');
INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score, status, reviewer_id, reviewed_at, created_at) VALUES
  ('shared_card', 'user', '00000000-0000-4000-8000-0000000000a2', '2026-03-29 00:00Z', '2026-03-30 00:00Z', 0.9, 'confirmed', '00000000-0000-4000-8000-0000000000b1', '2026-03-30 12:00Z', '2026-03-30 01:00Z'),
  ('shared_card', 'user', '00000000-0000-4000-8000-0000000000a1', '2026-03-29 00:00Z', '2026-03-30 00:00Z', 0.6, 'dismissed', '00000000-0000-4000-8000-0000000000b1', '2026-03-30 12:00Z', '2026-03-30 01:00Z'),
  ('login_bruteforce_ip', 'ip', '10.0.0.9', '2026-03-29 00:00Z', '2026-03-30 00:00Z', 0.7, 'open', NULL, NULL, '2026-03-30 02:00Z');
-- The confirmed alert's review reversed Bob's review coins in the same transaction.
INSERT INTO coin_transactions (user_id, action, amount, reverses_id, created_at)
SELECT user_id, 'reversal', -amount, id, '2026-03-30 12:00Z' FROM coin_transactions WHERE action = 'review';
)SQL";

struct Db {
    TempDatabase db{"spotctl_template"};
    Db() { db.conn().exec(fixture); }
};

RunResult run(const TempDatabase& db, std::vector<std::string> args, const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> full = {"--database-url", db.url()};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full, env);
}

json report_json(const TempDatabase& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"-o", "json", "report", "run"});
    auto r = run(db, args);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(json::accept(r.out));
    return json::parse(r.out);
}

// The row of `rows` whose columns have the given values.
json find_row(const json& doc, const std::map<std::string, json>& match) {
    for (const auto& row : doc["rows"]) {
        bool ok = true;
        for (const auto& [k, v] : match) ok = ok && row[k] == v;
        if (ok) return row;
    }
    FAIL("no row matches " << json(match).dump() << " in " << doc["rows"].dump());
    return {};
}

double num(const json& v) { return v.is_null() ? 0.0 : v.get<double>(); }
double sql_num(TempDatabase& db, const std::string& sql, const pg::Params& p = {}) {
    std::string s = db.scalar(sql, p);
    return s.empty() ? 0.0 : std::stod(s);
}

}  // namespace

TEST_CASE("report list names every report with its parameters", "[report]") {
    TempDatabase db("spotctl_template");
    auto r = run(db, {"-o", "json", "report", "list"});
    REQUIRE(r.exit_code == 0);
    auto list = json::parse(r.out);
    std::set<std::string> names;
    for (const auto& row : list) names.insert(row["report"].get<std::string>());
    for (const char* n : {"revenue", "usage", "charging", "growth", "coins", "coin-earners", "moderation", "moderators", "fraud", "impact"})
        CHECK(names.count(n) == 1);
    CHECK(list[0]["filters"].get<std::string>().find("--by") != std::string::npos);
}

TEST_CASE("revenue: gross, refunds, net and count per day, method and currency match independent SQL", "[report]") {
    Db f;
    for (const char* tz : {"UTC", "Europe/Berlin", "Asia/Kolkata"}) {
        CAPTURE(tz);
        auto doc = report_json(f.db, {"revenue", "--from", "2026-03-27", "--to", "2026-03-31", "--tz", tz});
        // 5 days x 3 (method, currency) combinations seen in the range; empty days as zeros.
        REQUIRE(doc["rows"].size() == 15);
        for (const auto& row : doc["rows"]) {
            CAPTURE(row.dump());
            auto p = pg::params(tz, row["period"].get<std::string>(), row["method"].get<std::string>(), row["currency"].get<std::string>());
            CHECK(row["payments"].get<long long>() ==
                  std::stoll(f.db.scalar("SELECT count(*) FROM payments WHERE status IN ('succeeded', 'refunded') "
                                         "AND (created_at AT TIME ZONE $1)::date = $2::date AND method = $3 AND currency = $4", p)));
            double gross = sql_num(f.db, "SELECT sum(amount_minor) / 100.0 FROM payments WHERE status IN ('succeeded', 'refunded') "
                                         "AND (created_at AT TIME ZONE $1)::date = $2::date AND method = $3 AND currency = $4", p);
            double refunds = sql_num(f.db, "SELECT sum(amount_minor) / 100.0 FROM payments WHERE status = 'refunded' "
                                           "AND (refunded_at AT TIME ZONE $1)::date = $2::date AND method = $3 AND currency = $4", p);
            CHECK(num(row["gross"]) == Approx(gross));
            CHECK(num(row["refunds"]) == Approx(refunds));
            CHECK(num(row["net"]) == Approx(gross - refunds));
        }
    }
    // By hand, in UTC: the refund lands on the 30th, the failed wallet payment nowhere.
    auto utc = report_json(f.db, {"revenue", "--from", "2026-03-27", "--to", "2026-03-31"});
    CHECK(num(find_row(utc, {{"period", "2026-03-28"}, {"method", "card"}, {"currency", "INR"}})["gross"]) == Approx(10.0));
    CHECK(num(find_row(utc, {{"period", "2026-03-28"}, {"method", "upi"}, {"currency", "INR"}})["gross"]) == Approx(5.0));
    CHECK(num(find_row(utc, {{"period", "2026-03-30"}, {"method", "upi"}, {"currency", "INR"}})["net"]) == Approx(-5.0));
    CHECK(num(find_row(utc, {{"period", "2026-03-27"}, {"method", "card"}, {"currency", "INR"}})["payments"]) == 0);
    // In Berlin, Bob's 23:45 UTC payment is on the 29th (00:45 local).
    auto berlin = report_json(f.db, {"revenue", "--from", "2026-03-28", "--to", "2026-03-29", "--tz", "Europe/Berlin"});
    CHECK(num(find_row(berlin, {{"period", "2026-03-29"}, {"method", "upi"}, {"currency", "INR"}})["gross"]) == Approx(5.0));
    // By month: one period, clipped to the range; filters keep only that lot's payments.
    auto month = report_json(f.db, {"revenue", "--from", "2026-03-15", "--to", "2026-04-10", "--by", "month", "--lot", "渋谷 Parking"});
    REQUIRE(month["rows"].size() == 2);
    CHECK(month["rows"][0]["period"] == "2026-03-15");
    CHECK(month["rows"][1]["period"] == "2026-04-01");
    CHECK(num(month["rows"][0]["gross"]) == Approx(7.0));
    CHECK(month["rows"][0]["currency"] == "EUR");
}

TEST_CASE("usage: reservations, reserved hours and occupancy per lot and slot type match independent SQL", "[report]") {
    Db f;
    auto doc = report_json(f.db, {"usage", "--from", "2026-03-27", "--to", "2026-03-31"});
    // 5 days x 3 (lot, slot type) groups.
    REQUIRE(doc["rows"].size() == 15);
    for (const auto& row : doc["rows"]) {
        CAPTURE(row.dump());
        auto p = pg::params(row["period"].get<std::string>(), row["lot"].get<std::string>(), row["slot_type"].get<std::string>());
        const char* base = "FROM reservations r JOIN parking_slots s ON s.id = r.slot_id JOIN parking_lots l ON l.id = s.lot_id "
                           "WHERE r.status IN ('confirmed', 'active', 'completed') AND l.name = $2 AND s.slot_type = $3 ";
        CHECK(row["reservations"].get<long long>() ==
              std::stoll(f.db.scalar(std::string("SELECT count(*) ") + base + "AND (r.starts_at AT TIME ZONE 'UTC')::date = $1::date", p)));
        double hours = sql_num(f.db, std::string("SELECT sum(extract(epoch FROM least(r.ends_at, ($1::date + 1)::timestamp AT TIME ZONE 'UTC') "
                                                 "- greatest(r.starts_at, $1::date::timestamp AT TIME ZONE 'UTC'))) / 3600 ") + base +
                                         "AND r.starts_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC' AND r.ends_at > $1::date::timestamp AT TIME ZONE 'UTC'", p);
        CHECK(num(row["reserved_hours"]) == Approx(hours).margin(0.05));
        CHECK(num(row["occupancy_pct"]) == Approx(100 * hours / (row["slots"].get<double>() * 24)).margin(0.05));
        CHECK(num(row["period_hours"]) == Approx(24));
    }
    auto a = find_row(doc, {{"period", "2026-03-28"}, {"lot", "कोरेगाव पार्क"}, {"slot_type", "standard"}});
    CHECK(a["reservations"] == 2);
    CHECK(num(a["reserved_hours"]) == Approx(4.5));
    CHECK(num(a["occupancy_pct"]) == Approx(9.4));
    CHECK(find_row(doc, {{"period", "2026-03-30"}, {"lot", "渋谷 Parking"}})["peak_hour"] == "08:00");
    CHECK(find_row(doc, {{"period", "2026-03-27"}, {"lot", "渋谷 Parking"}})["peak_hour"].is_null());
    // --city keeps one lot.
    auto pune = report_json(f.db, {"usage", "--from", "2026-03-28", "--to", "2026-03-28", "--city", "Pune"});
    REQUIRE(pune["rows"].size() == 2);
    for (const auto& row : pune["rows"]) CHECK(row["city"] == "Pune");
}

TEST_CASE("periods follow the time zone across daylight-saving changes (Europe/Berlin March and October)", "[report]") {
    Db f;
    auto spring = report_json(f.db, {"usage", "--from", "2026-03-28", "--to", "2026-03-30", "--tz", "Europe/Berlin", "--city", "東京"});
    REQUIRE(spring["rows"].size() == 3);
    CHECK(num(spring["rows"][0]["period_hours"]) == Approx(24));
    CHECK(spring["rows"][1]["period"] == "2026-03-29");
    CHECK(num(spring["rows"][1]["period_hours"]) == Approx(23));
    CHECK(num(spring["rows"][2]["period_hours"]) == Approx(24));
    auto autumn = report_json(f.db, {"usage", "--from", "2026-10-24", "--to", "2026-10-26", "--tz", "Europe/Berlin", "--city", "東京"});
    REQUIRE(autumn["rows"].size() == 3);
    CHECK(autumn["rows"][1]["period"] == "2026-10-25");
    CHECK(num(autumn["rows"][1]["period_hours"]) == Approx(25));
    // A week that contains the change: 7 x 24 - 1 hours.
    auto week = report_json(f.db, {"usage", "--from", "2026-03-23", "--to", "2026-03-29", "--tz", "Europe/Berlin", "--by", "week", "--city", "東京"});
    REQUIRE(week["rows"].size() == 1);
    CHECK(num(week["rows"][0]["period_hours"]) == Approx(167));
    // Reservation r2 starts 2026-03-28 23:30 UTC: in Berlin that is 00:30 on the 29th.
    auto pune = report_json(f.db, {"usage", "--from", "2026-03-28", "--to", "2026-03-29", "--tz", "Europe/Berlin", "--city", "Pune"});
    CHECK(find_row(pune, {{"period", "2026-03-28"}, {"slot_type", "standard"}})["reservations"] == 1);
    CHECK(find_row(pune, {{"period", "2026-03-29"}, {"slot_type", "standard"}})["reservations"] == 1);
    CHECK(find_row(pune, {{"period", "2026-03-29"}, {"slot_type", "standard"}})["peak_hour"] == "00:00");
}

TEST_CASE("growth, coins and coin-earners match independent SQL", "[report]") {
    Db f;
    auto growth = report_json(f.db, {"growth", "--from", "2026-03-27", "--to", "2026-03-31"});
    REQUIRE(growth["rows"].size() == 5);
    for (const auto& row : growth["rows"]) {
        CAPTURE(row.dump());
        auto p = pg::params(row["period"].get<std::string>());
        CHECK(row["new_users"].get<long long>() ==
              std::stoll(f.db.scalar("SELECT count(*) FROM users WHERE NOT is_guest AND created_at::date = $1::date", p)));
        CHECK(row["active_users"].get<long long>() ==
              std::stoll(f.db.scalar("SELECT count(DISTINCT user_id) FROM login_attempts WHERE success AND created_at::date = $1::date", p)));
        CHECK(row["chargers_added"].get<long long>() ==
              std::stoll(f.db.scalar("SELECT count(*) FROM chargers WHERE created_at::date = $1::date", p)));
        CHECK(row["chargers_verified"].get<long long>() ==
              std::stoll(f.db.scalar("SELECT count(DISTINCT charger_id) FROM charger_verifications WHERE created_at::date = $1::date", p)));
    }
    CHECK(find_row(growth, {{"period", "2026-03-29"}})["active_users"] == 2);
    CHECK(find_row(growth, {{"period", "2026-03-31"}})["total_users"] == 3);

    auto coins = report_json(f.db, {"coins", "--from", "2026-03-27", "--to", "2026-03-31"});
    REQUIRE(coins["rows"].size() == 5);
    for (const auto& row : coins["rows"]) {
        CAPTURE(row.dump());
        auto p = pg::params(row["period"].get<std::string>());
        CHECK(num(row["net"]) == sql_num(f.db, "SELECT sum(amount) FROM coin_transactions WHERE created_at::date = $1::date", p));
        CHECK(num(row["outstanding"]) == sql_num(f.db, "SELECT sum(amount) FROM coin_transactions WHERE created_at::date <= $1::date", p));
        CHECK(num(row["redeemed"]) == -sql_num(f.db, "SELECT sum(amount) FROM coin_transactions WHERE action = 'redeem' AND created_at::date = $1::date", p));
    }
    auto d28 = find_row(coins, {{"period", "2026-03-28"}});
    CHECK(d28["awarded"] == 50);
    CHECK(d28["add_charger"] == 50);
    CHECK(find_row(coins, {{"period", "2026-03-30"}})["reversals"] == -10);
    CHECK(find_row(coins, {{"period", "2026-03-31"}})["outstanding"] == 30);

    auto top = report_json(f.db, {"coin-earners", "--from", "2026-03-01", "--to", "2026-03-31", "--top", "1"});
    REQUIRE(top["rows"].size() == 1);
    CHECK(top["rows"][0]["name"] == "Alice");
    CHECK(top["rows"][0]["awarded"] == 50);
    CHECK(top["rows"][0]["redeemed"] == 20);
    CHECK(top["rows"][0]["balance"] == std::stoll(f.db.scalar("SELECT coin_balance FROM users WHERE name = 'Alice'")));
}

TEST_CASE("moderation, moderators, fraud, charging and impact match independent SQL", "[report]") {
    Db f;
    auto mod = report_json(f.db, {"moderation", "--from", "2026-03-28", "--to", "2026-03-30"});
    REQUIRE(mod["rows"].size() == 3);
    auto m28 = find_row(mod, {{"period", "2026-03-28"}});
    CHECK(m28["queued"] == 2);
    CHECK(m28["decided"] == 1);
    CHECK(m28["open_at_end"] == 1);
    CHECK(num(m28["median_hours_to_decision"]) == Approx(2.0));
    auto m29 = find_row(mod, {{"period", "2026-03-29"}});
    CHECK(m29["rejected"] == 1);
    CHECK(m29["open_at_end"] == 1);
    CHECK(num(m29["median_hours_to_decision"]) == Approx(24.0));
    for (const auto& row : mod["rows"])
        CHECK(row["queued"].get<long long>() ==
              std::stoll(f.db.scalar("SELECT count(*) FROM moderation_items WHERE created_at::date = $1::date", pg::params(row["period"].get<std::string>()))));

    auto mods = report_json(f.db, {"moderators", "--from", "2026-03-28", "--to", "2026-03-30"});
    REQUIRE(mods["rows"].size() == 1);
    CHECK(mods["rows"][0]["moderator"] == "Mona");
    CHECK(mods["rows"][0]["decisions"] == 2);
    CHECK(num(mods["rows"][0]["median_minutes_to_decision"]) ==
          Approx(sql_num(f.db, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - created_at) / 60) "
                               "FROM moderation_items WHERE status IN ('approved', 'rejected')")));

    auto fraud = report_json(f.db, {"fraud", "--from", "2026-03-28", "--to", "2026-03-31"});
    REQUIRE(fraud["rows"].size() == 2);
    auto shared = find_row(fraud, {{"rule", "shared_card"}});
    CHECK(shared["alerts"] == 2);
    CHECK(shared["confirmed"] == 1);
    CHECK(num(shared["confirmation_rate_pct"]) == Approx(50.0));
    CHECK(shared["coins_reversed"] == 10);
    auto brute = find_row(fraud, {{"rule", "login_bruteforce_ip"}});
    CHECK(brute["open"] == 1);
    CHECK(brute["confirmation_rate_pct"].is_null());

    auto charging = report_json(f.db, {"charging", "--from", "2026-03-29", "--to", "2026-03-30"});
    REQUIRE(charging["rows"].size() == 4);  // 2 days x 2 cities
    CHECK(num(find_row(charging, {{"period", "2026-03-29"}, {"city", "Pune"}})["availability_pct"]) == Approx(100.0));
    CHECK(find_row(charging, {{"period", "2026-03-30"}, {"city", "東京"}})["broken"] == 1);
    CHECK(num(find_row(charging, {{"period", "2026-03-30"}, {"city", "東京"}})["availability_pct"]) == Approx(0.0));

    auto impact = report_json(f.db, {"impact", "--from", "2026-03-28", "--to", "2026-03-30"});
    REQUIRE(impact["rows"].size() == 3);
    const auto& k = report::impact_constants;
    for (const auto& row : impact["rows"]) {
        CAPTURE(row.dump());
        auto p = pg::params(row["period"].get<std::string>());
        double res = sql_num(f.db, "SELECT count(*) FROM reservations WHERE status IN ('confirmed', 'active', 'completed') AND starts_at::date = $1::date", p);
        double checks = sql_num(f.db, "SELECT count(*) FROM charger_verifications WHERE created_at::date = $1::date", p);
        CHECK(num(row["reservations"]) == res);
        CHECK(num(row["charger_checks"]) == checks);
        double minutes = res * k.search_minutes_per_reservation + checks * k.search_minutes_per_charger_check;
        double km = minutes / 60 * k.cruising_speed_kmh;
        CHECK(num(row["search_hours_saved"]) == Approx(minutes / 60).margin(0.05));
        CHECK(num(row["km_avoided"]) == Approx(km).margin(0.05));
        CHECK(num(row["fuel_litres_saved"]) == Approx(km * k.fuel_litres_per_km).margin(0.05));
        CHECK(num(row["co2_kg_saved"]) == Approx(km * k.fuel_litres_per_km * k.co2_kg_per_litre).margin(0.05));
    }
    CHECK(num(find_row(impact, {{"period", "2026-03-28"}})["km_avoided"]) == Approx(5.0));
}

TEST_CASE("report JSON has the documented shape: parameters, columns and rows", "[report]") {
    Db f;
    auto doc = report_json(f.db, {"revenue", "--from", "2026-03-28", "--to", "2026-03-29", "--tz", "Asia/Kolkata", "--city", "Pune"});
    CHECK(doc["title"] == "Revenue");
    CHECK(doc["parameters"]["report"] == "revenue");
    CHECK(doc["parameters"]["from"] == "2026-03-28");
    CHECK(doc["parameters"]["to"] == "2026-03-29");
    CHECK(doc["parameters"]["time zone"] == "Asia/Kolkata");
    CHECK(doc["parameters"]["by"] == "day");
    CHECK(doc["parameters"]["city"] == "Pune");
    REQUIRE(doc["columns"].size() == 7);
    CHECK(doc["columns"][0] == json{{"name", "period"}, {"type", "text"}});
    CHECK(doc["columns"][3] == json{{"name", "payments"}, {"type", "integer"}});
    CHECK(doc["row_count"] == doc["rows"].size());
    CHECK(doc["rows"][0].is_object());
}

TEST_CASE("report refuses bad parameters with a usage error naming the flag", "[report]") {
    TempDatabase db("spotctl_template");
    auto check = [&](std::vector<std::string> args, const std::string& message) {
        auto r = run(db, args);
        CAPTURE(args, r.err);
        CHECK(r.exit_code == 64);
        CHECK(r.err.find(message) != std::string::npos);
    };
    check({"report", "run", "nonsense"}, "spotctl: error: unknown report 'nonsense'");
    check({"report", "run", "revenue", "--from", "2026-03-10", "--to", "2026-03-01"}, "--from 2026-03-10 is after --to 2026-03-01");
    check({"report", "run", "revenue", "--from", "2026-02-30"}, "--from '2026-02-30' is not a time: no such date");
    check({"report", "run", "revenue", "--to", "someday"}, "--to 'someday' is not a time");
    check({"report", "run", "revenue", "--tz", "Mars/Olympus"}, "--tz 'Mars/Olympus' is not a time zone");
    check({"report", "run", "growth", "--city", "Pune"}, "report 'growth' has no --city filter");
    check({"report", "run", "fraud", "--by", "week"}, "report 'fraud' is not over time");
    check({"report", "export", "payments; DROP TABLE users", "--from", "2026-03-01", "--to", "2026-03-02"},
          "table 'payments; DROP TABLE users' cannot be exported");
    check({"report", "export", "users", "--from", "2026-03-01", "--to", "2026-03-02"}, "table 'users' cannot be exported");
    check({"report", "export", "payments", "--from", "2026-03-01"}, "report export needs --from and --to");
    check({"-o", "pdf", "report", "export", "payments", "--from", "2026-03-01", "--to", "2026-03-02"}, "spotctl report export cannot write -o pdf");
    check({"report", "run", "revenue", "--manifest"}, "--manifest needs --output-file");
}

namespace {

// Rows whose text cells hold everything CSV makes hard, and every first character a
// spreadsheet would execute.
const char* const tricky = R"SQL(
INSERT INTO users (id, email, name) VALUES ('00000000-0000-4000-8000-0000000000c1', 'csv@example.com', 'CSV');
INSERT INTO coin_transactions (user_id, action, amount, description, metadata, created_at) VALUES
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 100, 'plain', '{"k": "v, \"q\""}', '2026-03-10 10:00:00Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, 'comma, "quoted" and ''single''', '{}', '2026-03-10 10:00:01Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, E'two\nlines\r\nand CRLF', '{}', '2026-03-10 10:00:02Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, 'Ünïcødé — पुणे 東京 😀', '{}', '2026-03-10 10:00:03Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, '=HYPERLINK("http://x","y")', '{}', '2026-03-10 10:00:04Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, '+1+2', '{}', '2026-03-10 10:00:05Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, '-2+3', '{}', '2026-03-10 10:00:06Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, '@SUM(A1)', '{}', '2026-03-10 10:00:07Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, E'\tcmd', '{}', '2026-03-10 10:00:08Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, E'\rcmd', '{}', '2026-03-10 10:00:09Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', -7, NULL, '{}', '2026-03-10 10:00:10Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, 'back\slash and tab	inside', '{}', '2026-03-10 10:00:11Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, '', '{}', '2026-03-10 10:00:12Z'),
  ('00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, 'outside the range', '{}', '2026-03-12 00:00:00Z');
)SQL";

const char* const export_columns = "id, user_id, action, amount, balance_after, reverses_id, description, metadata, created_at";

}  // namespace

TEST_CASE("CSV export read back by PostgreSQL's COPY and by Python's csv module reproduces every row exactly", "[report]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(tricky);
    TempDir dir;
    auto file = dir / "coins.csv";
    auto r = run(db, {"-o", "csv", "report", "export", "coin_transactions", "--from", "2026-03-10", "--to", "2026-03-11",
                          "--raw", "--output-file", file.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);

    // PostgreSQL's COPY FROM ... CSV (through psql's \copy, which streams the client's file).
    db.conn().exec(fmt::format("CREATE TABLE back AS SELECT {} FROM coin_transactions WITH NO DATA", export_columns));
    auto copy = run_shell(fmt::format("psql -X -q -v ON_ERROR_STOP=1 '{}' -c \"\\copy back FROM '{}' WITH (FORMAT csv, HEADER true)\" 2>&1",
                                      db.url(), file.string()));
    INFO(copy.out);
    REQUIRE(copy.exit_code == 0);
    const std::string range = "created_at >= '2026-03-10' AND created_at < '2026-03-12'";
    CHECK(db.scalar("SELECT count(*) FROM back") == "13");
    CHECK(db.scalar(fmt::format("SELECT count(*) FROM ((SELECT {0} FROM coin_transactions WHERE {1} EXCEPT SELECT * FROM back) "
                                "UNION ALL (SELECT * FROM back EXCEPT SELECT {0} FROM coin_transactions WHERE {1})) d",
                                export_columns, range)) == "0");
    // NULL stays NULL, the empty string stays empty (PostgreSQL's CSV conventions).
    CHECK(db.scalar("SELECT count(*) FROM back WHERE description IS NULL") == "1");
    CHECK(db.scalar("SELECT count(*) FROM back WHERE description = ''") == "1");

    // A second reader: Python's csv module, compared with the database's values as JSON.
    auto py = run_shell(fmt::format(
        "python3 -c 'import csv,json,sys; r=list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\"))); "
        "print(json.dumps(r))' '{}'", file.string()));
    REQUIRE(py.exit_code == 0);
    auto rows = json::parse(py.out);
    REQUIRE(rows.size() == 14);
    CHECK(rows[0] == json{"id", "user_id", "action", "amount", "balance_after", "reverses_id", "description", "metadata", "created_at"});
    auto expected = json::parse(db.scalar(
        fmt::format("SELECT json_agg(json_build_array(coalesce(description, '')) ORDER BY created_at, id) FROM coin_transactions WHERE {}", range)));
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CAPTURE(i);
        CHECK(rows[i][6] == expected[i - 1][0]);
    }
}

TEST_CASE("the CSV formula guard neutralises every dangerous first character in text cells only", "[report]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(tricky);
    auto r = run(db, {"-o", "csv", "report", "export", "coin_transactions", "--from", "2026-03-10", "--to", "2026-03-11"});
    REQUIRE(r.exit_code == 0);
    // Each guarded cell between its neighbours' commas; quoted only where the text needs it.
    for (const char* cell : {",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",", ",'+1+2,", ",'-2+3,", ",'@SUM(A1),", ",'\tcmd,", ",\"'\rcmd\","}) {
        CAPTURE(cell);
        CHECK(r.out.find(cell) != std::string::npos);
    }
    // A negative amount is a number, not a formula: no quote added.
    CHECK(r.out.find(",-7,") != std::string::npos);
    CHECK(r.out.find("'-7") == std::string::npos);
    // The same rows with --raw: untouched.
    auto raw = run(db, {"-o", "csv", "report", "export", "coin_transactions", "--from", "2026-03-10", "--to", "2026-03-11", "--raw"});
    REQUIRE(raw.exit_code == 0);
    CHECK(raw.out.find("\"=HYPERLINK(") != std::string::npos);
    CHECK(raw.out.find("'=") == std::string::npos);
    // Reports are guarded too: a lot named like a formula.
    db.conn().exec("INSERT INTO parking_lots (name, address, city, latitude, longitude, timezone) VALUES ('=cmd|x', 'a', '+city', 1, 1, 'UTC');"
                   "INSERT INTO parking_slots (lot_id, label) SELECT id, 'A' FROM parking_lots");
    auto usage = run(db, {"-o", "csv", "report", "run", "usage", "--from", "2026-03-10", "--to", "2026-03-10"});
    REQUIRE(usage.exit_code == 0);
    CHECK(usage.out.find(",'+city,'=cmd|x,") != std::string::npos);
}

TEST_CASE("JSON export streams every row with typed values", "[report]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(tricky);
    auto r = run(db, {"-o", "json", "report", "export", "coin_transactions", "--from", "2026-03-10", "--to", "2026-03-12", "--tz", "Asia/Kolkata"});
    REQUIRE(r.exit_code == 0);
    auto doc = json::parse(r.out);
    REQUIRE(doc["rows"].size() == 14);  // the row of 2026-03-12 00:00Z is 05:30 on the 12th in Kolkata
    CHECK(doc["row_count"] == 14);
    CHECK(doc["parameters"]["table"] == "coin_transactions");
    CHECK(doc["rows"][0]["amount"] == 100);
    CHECK(doc["rows"][0]["metadata"] == json{{"k", "v, \"q\""}});
    CHECK(doc["rows"][0]["created_at"] == "2026-03-10 15:30:00+05:30");
    CHECK(doc["rows"][3]["description"] == "Ünïcødé — पुणे 東京 😀");
    CHECK(doc["rows"][10]["description"].is_null());
}

TEST_CASE("report export with --manifest writes the row count, bytes, sha256 and parameters beside the file, and --metrics-file a last-success timestamp", "[report]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(tricky);
    TempDir dir;
    auto file = dir / "coins.csv";
    auto metrics = dir / "report.prom";
    auto r = run(db, {"-o", "csv", "report", "export", "coin_transactions", "--from", "2026-03-10", "--to", "2026-03-10",
                          "--output-file", file.string(), "--manifest", "--metrics-file", metrics.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto manifest = json::parse(slurp(dir / "coins.csv.manifest.json"));
    std::string content = slurp(file);
    CHECK(manifest["file"] == "coins.csv");
    CHECK(manifest["rows"] == 13);
    CHECK(manifest["bytes"] == content.size());
    CHECK(manifest["sha256"] == sha256_hex(content));
    CHECK(manifest["parameters"]["from"] == "2026-03-10");
    CHECK(manifest["parameters"]["table"] == "coin_transactions");
    std::string prom = slurp(metrics);
    CHECK(prom.find("spotctl_last_success_timestamp_seconds{job=\"report_export\",report=\"export_coin_transactions\"} ") != std::string::npos);
    CHECK(prom.find("spotctl_rows_affected{job=\"report_export\",report=\"export_coin_transactions\"} 13\n") != std::string::npos);
}

TEST_CASE("PDF report: title, parameters, headers, figures and Unicode names in the text, qpdf --check passes", "[report]") {
    Db f;
    TempDir dir;
    auto pdf = dir / "usage.pdf";
    auto r = run(f.db, {"-o", "pdf", "report", "run", "usage", "--from", "2026-03-27", "--to", "2026-03-31", "--output-file", pdf.string()},
                     {{"SOURCE_DATE_EPOCH", "1774000000"}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(run_shell(fmt::format("qpdf --check '{}' >/dev/null 2>&1", pdf.string())).exit_code == 0);
    auto text = run_shell(fmt::format("pdftotext -layout '{}' -", pdf.string()));
    REQUIRE(text.exit_code == 0);
    for (const char* s : {"Parking usage", "from: 2026-03-27", "to: 2026-03-31", "time zone: UTC", "period", "slot_type", "lot", "कोरेगाव पार्क",
                          "渋谷 Parking", "東京", "9.4", "4.5", "TOTAL", "Page 1 of 1", "Reservations per period", "Generated 2026-03-20 09:46 UTC"}) {
        CAPTURE(s);
        CHECK(text.out.find(s) != std::string::npos);
    }
    auto info = run_shell(fmt::format("pdfinfo '{}'", pdf.string()));
    CHECK(info.out.find("Title:           Parking usage\n") != std::string::npos);
    CHECK(info.out.find("Creator:         spotctl ") != std::string::npos);
    CHECK(info.out.find("CreationDate:    Fri Mar 20 09:46:40 2026 UTC") != std::string::npos);
}

TEST_CASE("PDF: the table header repeats on every page with page numbers, and SOURCE_DATE_EPOCH gives identical bytes", "[report]") {
    Db f;
    TempDir dir;
    std::vector<std::string> args = {"-o", "pdf", "report", "run", "revenue", "--from", "2026-01-01", "--to", "2026-03-31"};
    auto a = run(f.db, args, {{"SOURCE_DATE_EPOCH", "1774000000"}});
    REQUIRE(a.exit_code == 0);
    // 90 days x 3 combinations: several pages.
    auto file = dir.write("a.pdf", a.out);
    auto pages_out = run_shell(fmt::format("pdfinfo '{}' | awk '/^Pages:/ {{print $2}}'", file.string()));
    int pages = std::stoi(pages_out.out);
    REQUIRE(pages >= 3);
    for (int p = 1; p <= pages; ++p) {
        CAPTURE(p);
        auto t = run_shell(fmt::format("pdftotext -layout -f {0} -l {0} '{1}' -", p, file.string()));
        CHECK(t.out.find("period") != std::string::npos);
        CHECK(t.out.find("refunds") != std::string::npos);
        CHECK(t.out.find(fmt::format("Page {} of {}", p, pages)) != std::string::npos);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto b = run(f.db, args, {{"SOURCE_DATE_EPOCH", "1774000000"}});
    REQUIRE(b.exit_code == 0);
    CHECK(a.out.size() == b.out.size());
    CHECK(sha256_hex(a.out) == sha256_hex(b.out));
    auto c = run(f.db, args, {{"SOURCE_DATE_EPOCH", "1774086400"}});
    CHECK(sha256_hex(a.out) != sha256_hex(c.out));
}

TEST_CASE("a failed export leaves no file at the target and exits non-zero", "[report]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(tricky);
    TempDir dir;

    auto export_args = [&](const std::filesystem::path& target) {
        return std::vector<std::string>{"--database-url", db.url(), "-o", "csv", "report", "export", "coin_transactions", "--from",
                                        "2026-03-10", "--to", "2026-03-11", "--output-file", target.string()};
    };
    // Enough rows that the export is still streaming when part of the file is there (the ledger
    // trigger, which would update the balance row by row, is off for the fixture, so balance_after is given).
    auto add_rows = [&] {
        db.conn().exec("ALTER TABLE coin_transactions DISABLE TRIGGER USER");
        db.conn().exec("INSERT INTO coin_transactions (user_id, action, amount, balance_after, description, metadata, created_at) "
                       "SELECT '00000000-0000-4000-8000-0000000000c1', 'adjustment', 1, 100 + i, repeat('bulk ', 20), '{}', "
                       "'2026-03-10 12:00:00Z'::timestamptz + i * interval '1 ms' FROM generate_series(1, 200000) i");
        db.conn().exec("ALTER TABLE coin_transactions ENABLE TRIGGER USER");
    };
    // The fault strikes once the temporary file beside the target holds part of the export.
    auto part_written = [&] {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(dir.path(), ec)) {
            auto size = e.file_size(ec);
            if (!ec && size > 0 && e.path().filename().string().find(".tmp-") != std::string::npos) return true;
        }
        return false;
    };

    SECTION("the exporting backend is terminated") {
        add_rows();
        auto target = dir / "coins.csv";
        auto r = interrupt_part_way(db, export_args(target), part_written, Fault::terminate_backend);
        require_interrupted(r, Fault::terminate_backend);  // exit 69
        CHECK(r.err.find("spotctl: error: export failed") != std::string::npos);
        CHECK(!std::filesystem::exists(target));
        CHECK(std::filesystem::is_empty(dir.path()));
    }
    SECTION("the process is killed mid-export, and a re-run writes the file") {
        add_rows();
        auto target = dir / "coins.csv";
        require_interrupted(interrupt_part_way(db, export_args(target), part_written, Fault::sigkill), Fault::sigkill);
        CHECK(!std::filesystem::exists(target));  // only the unfinished temporary beside it can remain
        auto again = run_spotctl(export_args(target));
        INFO(again.err);
        REQUIRE(again.exit_code == 0);
        CHECK(std::filesystem::file_size(target) > 0);
    }
    SECTION("the directory cannot be written") {
        auto blocker = dir.write("not-a-dir", "x");
        auto target = blocker / "coins.csv";
        auto r = run_spotctl(export_args(target));
        CHECK(r.exit_code == 73);
        CHECK(r.err.find("cannot write '" + target.string() + "'") != std::string::npos);
    }
    SECTION("the database is unreachable") {
        auto target = dir / "revenue.pdf";
        auto r = run_spotctl({"--database-url", "host=127.0.0.1 port=1 connect_timeout=2", "-o", "pdf", "report", "run", "revenue",
                              "--output-file", target.string()});
        CHECK(r.exit_code == 69);
        CHECK(!std::filesystem::exists(target));
    }
}

TEST_CASE("report with --replica-url runs on the replica", "[report]") {
    Db f;
    std::string replica = required_env("SPOTCTL_TEST_REPLICA_PG");
    // The replica's copy of this database: same name, on the replica's server.
    std::string url = replica;
    auto pos = url.find("dbname=postgres");
    REQUIRE(pos != std::string::npos);
    url.replace(pos, 15, "dbname=" + f.db.name());
    REQUIRE(replica_caught_up(f.db, replica));  // the fixture is there
    auto r = run_spotctl({"--database-url", "host=127.0.0.1 port=1 connect_timeout=2", "-o", "json", "report", "run", "revenue",
                          "--from", "2026-03-28", "--to", "2026-03-28"},
                         {{"SPOTCTL_REPLICA_URL", url}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto doc = json::parse(r.out);
    CHECK(num(find_row(doc, {{"method", "card"}, {"currency", "INR"}})["gross"]) == Approx(10.0));
    auto e = run_spotctl({"--database-url", "host=127.0.0.1 port=1 connect_timeout=2", "-o", "csv", "report", "export", "payments",
                          "--from", "2026-03-28", "--to", "2026-03-30", "--replica-url", url});
    INFO(e.err);
    REQUIRE(e.exit_code == 0);
    CHECK(std::count(e.out.begin(), e.out.end(), '\n') == 6);  // header + 5 payments
}

TEST_CASE("revenue: amounts in major units by each currency's ISO 4217 exponent (JPY none, KWD three decimals)", "[report][money]") {
    Db f;
    f.db.conn().exec("INSERT INTO payments (user_id, amount_minor, currency, method, provider_ref, status, created_at) VALUES "
                     "('00000000-0000-4000-8000-0000000000a1', 500, 'JPY', 'card', 'ref-jpy', 'succeeded', '2026-03-28 10:00Z'), "
                     "('00000000-0000-4000-8000-0000000000a1', 1234, 'KWD', 'card', 'ref-kwd', 'succeeded', '2026-03-28 11:00Z')");
    auto doc = report_json(f.db, {"revenue", "--from", "2026-03-28", "--to", "2026-03-28"});
    CHECK(num(find_row(doc, {{"period", "2026-03-28"}, {"method", "card"}, {"currency", "JPY"}})["gross"]) == Approx(500.0));
    CHECK(num(find_row(doc, {{"period", "2026-03-28"}, {"method", "card"}, {"currency", "KWD"}})["gross"]) == Approx(1.234));
    CHECK(num(find_row(doc, {{"period", "2026-03-28"}, {"method", "card"}, {"currency", "INR"}})["gross"]) == Approx(10.0));
}

TEST_CASE("report totals: a TOTAL row per currency equal to SQL sums in CSV and table, none with --no-totals or in JSON, and --tz defaults to the configured platform zone",
          "[report][totals]") {
    Db f;
    const std::vector<std::string> range = {"report", "run", "revenue", "--from", "2026-03-27", "--to", "2026-03-31"};
    auto lines_of = [&](std::vector<std::string> args) {
        auto r = run(f.db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        std::vector<std::string> lines;
        std::istringstream in(r.out);
        for (std::string l; std::getline(in, l);) lines.push_back(l);
        return lines;
    };
    auto with_range = [&](std::vector<std::string> head, std::vector<std::string> tail = {}) {
        head.insert(head.end(), range.begin(), range.end());
        head.insert(head.end(), tail.begin(), tail.end());
        return head;
    };

    auto csv = lines_of(with_range({"-o", "csv"}));
    std::vector<std::string> totals;
    for (const auto& l : csv)
        if (l.rfind("TOTAL,", 0) == 0) totals.push_back(l);
    // The fixture's range has payments in INR and EUR: one totals row each, after the rows.
    REQUIRE(totals.size() == 2);
    REQUIRE(csv[csv.size() - 2].rfind("TOTAL,", 0) == 0);
    std::set<std::string> currencies;
    for (const auto& t : totals) {
        CAPTURE(t);
        std::vector<std::string> c;
        std::istringstream in(t);
        for (std::string field; std::getline(in, field, ',');) c.push_back(field);
        REQUIRE(c.size() == 7);  // TOTAL, method (empty), currency, payments, gross, refunds, net
        CHECK(c[1].empty());
        currencies.insert(c[2]);
        // Exact: the sums compared as numeric in PostgreSQL, over the payments themselves.
        CHECK(f.db.scalar(R"(SELECT $2::bigint = count(*) FILTER (WHERE status IN ('succeeded', 'refunded') AND created_at >= '2026-03-27Z' AND created_at < '2026-04-01Z')
                               AND $3::numeric = coalesce(sum(amount_minor) FILTER (WHERE status IN ('succeeded', 'refunded') AND created_at >= '2026-03-27Z' AND created_at < '2026-04-01Z'), 0) / 100.0
                               AND $4::numeric = coalesce(sum(amount_minor) FILTER (WHERE status = 'refunded' AND refunded_at >= '2026-03-27Z' AND refunded_at < '2026-04-01Z'), 0) / 100.0
                               AND $5::numeric = $3::numeric - $4::numeric
                             FROM payments WHERE currency = $1)",
                          pg::params(c[2], c[3], c[4], c[5], c[6])) == "t");
    }
    CHECK(currencies == std::set<std::string>{"EUR", "INR"});

    auto bare = lines_of(with_range({"-o", "csv"}, {"--no-totals"}));
    CHECK(bare.size() == csv.size() - 2);
    for (const auto& l : bare) CHECK(l.rfind("TOTAL", 0) != 0);
    auto table = lines_of(with_range({}));
    CHECK(table.back().rfind("TOTAL ", 0) == 0);
    auto doc = report_json(f.db, {"revenue", "--from", "2026-03-27", "--to", "2026-03-31"});
    for (const auto& row : doc["rows"]) CHECK(row["period"] != "TOTAL");

    // The platform's zone from the configuration is the default --tz; report.tz is more specific.
    TempDir dir;
    auto config = (dir / "spotctl.toml").string();
    std::ofstream(config) << "timezone = \"Asia/Kolkata\"\n";
    auto zone = [&](std::vector<std::string> global) {
        std::vector<std::string> args = {"--config", config, "-o", "json", "report", "run", "growth", "--from", "2026-03-27", "--to", "2026-03-28"};
        args.insert(args.end(), global.begin(), global.end());
        auto r = run(f.db, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out)["parameters"]["time zone"].get<std::string>();
    };
    CHECK(zone({}) == "Asia/Kolkata");
    CHECK(zone({"--tz", "Europe/Berlin"}) == "Europe/Berlin");
    std::ofstream(config, std::ios::app) << "[report]\ntz = \"UTC\"\n";
    CHECK(zone({}) == "UTC");
}
