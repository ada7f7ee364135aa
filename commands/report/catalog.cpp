#include "commands/report/catalog.hpp"

#include <fmt/format.h>

#include "commands/staff/roster.hpp"
#include "core/errors.hpp"
#include "rulebook/money.hpp"

namespace spotctl::report {
namespace {

using exporters::CellType;
using exporters::Chart;
using exporters::Column;

// Shared by every report. Periods are local calendar days, ISO weeks or months in the zone
// $3: generate_series runs over local timestamps (no DST there), and each period's bounds are
// converted to instants with AT TIME ZONE, so a DST day has 23 or 25 hours. Events are
// bucketed with date_trunc over their local time, and every period appears, with zeros when
// nothing happened. The first and last periods are clipped to --from and --to.
const char* const prefix = R"SQL(
WITH params AS (
  SELECT $1::date AS from_date, $2::date AS to_date, $3::text AS tz, $4::text AS unit,
         ('1 ' || $4::text)::interval AS step, $5::jsonb AS cities, $6::jsonb AS lots),
bounds AS (
  SELECT p.from_date::timestamp AT TIME ZONE p.tz AS from_ts,
         (p.to_date + 1)::timestamp AT TIME ZONE p.tz AS to_ts
  FROM params p),
spans AS (
  SELECT g AS bucket,
         to_char(greatest(g, p.from_date::timestamp), 'YYYY-MM-DD') AS period,
         greatest(g, p.from_date::timestamp) AT TIME ZONE p.tz AS start_ts,
         least(g + p.step, (p.to_date + 1)::timestamp) AT TIME ZONE p.tz AS end_ts
  FROM params p, generate_series(date_trunc(p.unit, p.from_date::timestamp), p.to_date::timestamp, p.step) g),
lot_filter AS (
  SELECT l.id, l.name, l.city FROM parking_lots l, params p
  WHERE (p.cities = '[]' OR l.city IN (SELECT jsonb_array_elements_text(p.cities)))
    AND (p.lots = '[]' OR l.id::text IN (SELECT jsonb_array_elements_text(p.lots))
                       OR l.name IN (SELECT jsonb_array_elements_text(p.lots))))
)SQL";

std::string with_prefix(const char* body) { return std::string(prefix) + body; }

// Amounts in major units of each currency (rulebook/money.hpp: its minor-unit exponent).
const std::string revenue_sql = fmt::format(R"SQL(,
pay AS NOT MATERIALIZED (
  SELECT pm.* FROM payments pm, params p
  WHERE (p.cities = '[]' AND p.lots = '[]')
     OR pm.reservation_id IN (SELECT r.id FROM reservations r JOIN parking_slots s ON s.id = r.slot_id
                              JOIN lot_filter lf ON lf.id = s.lot_id)),
ev AS (
  SELECT date_trunc(p.unit, pm.created_at AT TIME ZONE p.tz) AS bucket, pm.method, pm.currency::text AS currency,
         pm.amount_minor AS gross, 0::bigint AS refund, 1 AS n
  FROM pay pm, params p, bounds b
  WHERE pm.status IN ('succeeded', 'refunded') AND pm.created_at >= b.from_ts AND pm.created_at < b.to_ts
  UNION ALL
  SELECT date_trunc(p.unit, pm.refunded_at AT TIME ZONE p.tz), pm.method, pm.currency::text, 0, pm.amount_minor, 0
  FROM pay pm, params p, bounds b
  WHERE pm.status = 'refunded' AND pm.refunded_at >= b.from_ts AND pm.refunded_at < b.to_ts),
agg AS (
  SELECT bucket, method, currency, sum(n) AS n, sum(gross) AS gross, sum(refund) AS refund FROM ev GROUP BY 1, 2, 3),
combos AS (
  SELECT DISTINCT method, currency FROM agg
  UNION ALL SELECT NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM agg))
SELECT s.period, c.method, c.currency, coalesce(a.n, 0) AS payments,
       {gross} AS gross,
       {refunds} AS refunds,
       {net} AS net
FROM spans s CROSS JOIN combos c
LEFT JOIN agg a ON a.bucket = s.bucket AND a.method IS NOT DISTINCT FROM c.method AND a.currency IS NOT DISTINCT FROM c.currency
ORDER BY s.bucket, c.method NULLS FIRST, c.currency NULLS FIRST
)SQL",
    fmt::arg("gross", rulebook::major_units_sql("coalesce(a.gross, 0)", "c.currency")),
    fmt::arg("refunds", rulebook::major_units_sql("coalesce(a.refund, 0)", "c.currency")),
    fmt::arg("net", rulebook::major_units_sql("coalesce(a.gross, 0) - coalesce(a.refund, 0)", "c.currency")));

const char* const usage_sql = R"SQL(,
slots AS (SELECT s.id, s.lot_id, s.slot_type FROM parking_slots s JOIN lot_filter lf ON lf.id = s.lot_id),
groups AS (
  SELECT lf.id AS lot_id, lf.city, lf.name AS lot, s.slot_type, count(*) AS slots
  FROM slots s JOIN lot_filter lf ON lf.id = s.lot_id GROUP BY 1, 2, 3, 4),
starts AS (
  SELECT date_trunc(p.unit, r.starts_at AT TIME ZONE p.tz) AS bucket, s.lot_id, s.slot_type,
         extract(hour FROM r.starts_at AT TIME ZONE p.tz)::int AS hour
  FROM reservations r JOIN slots s ON s.id = r.slot_id, params p, bounds b
  WHERE r.status IN ('confirmed', 'active', 'completed') AND r.starts_at >= b.from_ts AND r.starts_at < b.to_ts),
started AS (
  SELECT bucket, lot_id, slot_type, count(*) AS n, mode() WITHIN GROUP (ORDER BY hour) AS peak
  FROM starts GROUP BY 1, 2, 3),
occupied AS (
  SELECT sp.bucket, s.lot_id, s.slot_type,
         sum(extract(epoch FROM least(r.ends_at, sp.end_ts) - greatest(r.starts_at, sp.start_ts))) / 3600.0 AS hours
  FROM spans sp JOIN reservations r ON r.starts_at < sp.end_ts AND r.ends_at > sp.start_ts
  JOIN slots s ON s.id = r.slot_id
  WHERE r.status IN ('confirmed', 'active', 'completed')
  GROUP BY 1, 2, 3)
SELECT sp.period, g.city, g.lot, g.slot_type, g.slots,
       round(extract(epoch FROM sp.end_ts - sp.start_ts) / 3600.0, 1) AS period_hours,
       coalesce(st.n, 0) AS reservations,
       round(coalesce(o.hours, 0), 1) AS reserved_hours,
       round(100 * coalesce(o.hours, 0) / (g.slots * extract(epoch FROM sp.end_ts - sp.start_ts) / 3600.0), 1) AS occupancy_pct,
       CASE WHEN st.peak IS NULL THEN NULL ELSE lpad(st.peak::text, 2, '0') || ':00' END AS peak_hour
FROM spans sp CROSS JOIN groups g
LEFT JOIN started st ON st.bucket = sp.bucket AND st.lot_id = g.lot_id AND st.slot_type = g.slot_type
LEFT JOIN occupied o ON o.bucket = sp.bucket AND o.lot_id = g.lot_id AND o.slot_type = g.slot_type
ORDER BY sp.bucket, g.city, g.lot, g.slot_type
)SQL";

const char* const charging_sql = R"SQL(,
cities AS (
  SELECT DISTINCT c.city FROM chargers c, params p
  WHERE p.cities = '[]' OR c.city IN (SELECT jsonb_array_elements_text(p.cities))),
ver AS (
  SELECT date_trunc(p.unit, v.created_at AT TIME ZONE p.tz) AS bucket, c.city, v.reported_status
  FROM charger_verifications v JOIN chargers c ON c.id = v.charger_id, params p, bounds b
  WHERE v.created_at >= b.from_ts AND v.created_at < b.to_ts),
agg AS (
  SELECT bucket, city, count(*) AS n,
         count(*) FILTER (WHERE reported_status = 'available') AS available,
         count(*) FILTER (WHERE reported_status = 'occupied') AS occupied,
         count(*) FILTER (WHERE reported_status = 'broken') AS broken,
         count(*) FILTER (WHERE reported_status = 'not_found') AS not_found
  FROM ver GROUP BY 1, 2)
SELECT sp.period, ci.city,
       (SELECT count(*) FROM chargers c WHERE c.city = ci.city AND c.status = 'active' AND c.created_at < sp.end_ts) AS active_chargers,
       coalesce(a.n, 0) AS verifications, coalesce(a.available, 0) AS available, coalesce(a.occupied, 0) AS occupied,
       coalesce(a.broken, 0) AS broken, coalesce(a.not_found, 0) AS not_found,
       round(100.0 * a.available / nullif(a.n, 0), 1) AS availability_pct
FROM spans sp CROSS JOIN cities ci
LEFT JOIN agg a ON a.bucket = sp.bucket AND a.city = ci.city
ORDER BY sp.bucket, ci.city
)SQL";

const char* const growth_sql = R"SQL(,
nu AS (
  SELECT date_trunc(p.unit, u.created_at AT TIME ZONE p.tz) AS bucket, count(*) AS n
  FROM users u, params p, bounds b
  WHERE NOT u.is_guest AND u.created_at >= b.from_ts AND u.created_at < b.to_ts GROUP BY 1),
au AS (
  SELECT date_trunc(p.unit, a.created_at AT TIME ZONE p.tz) AS bucket, count(DISTINCT a.user_id) AS n
  FROM login_attempts a, params p, bounds b
  WHERE a.success AND a.user_id IS NOT NULL AND a.created_at >= b.from_ts AND a.created_at < b.to_ts GROUP BY 1),
ca AS (
  SELECT date_trunc(p.unit, c.created_at AT TIME ZONE p.tz) AS bucket, count(*) AS n
  FROM chargers c, params p, bounds b
  WHERE c.created_at >= b.from_ts AND c.created_at < b.to_ts GROUP BY 1),
cv AS (
  SELECT date_trunc(p.unit, v.created_at AT TIME ZONE p.tz) AS bucket, count(DISTINCT v.charger_id) AS n
  FROM charger_verifications v, params p, bounds b
  WHERE v.created_at >= b.from_ts AND v.created_at < b.to_ts GROUP BY 1)
SELECT sp.period, coalesce(nu.n, 0) AS new_users, coalesce(au.n, 0) AS active_users,
       (SELECT count(*) FROM users u WHERE NOT u.is_guest AND u.created_at < sp.end_ts) AS total_users,
       coalesce(ca.n, 0) AS chargers_added, coalesce(cv.n, 0) AS chargers_verified
FROM spans sp
LEFT JOIN nu ON nu.bucket = sp.bucket LEFT JOIN au ON au.bucket = sp.bucket
LEFT JOIN ca ON ca.bucket = sp.bucket LEFT JOIN cv ON cv.bucket = sp.bucket
ORDER BY sp.bucket
)SQL";

const char* const coins_sql = R"SQL(,
ev AS (
  SELECT date_trunc(p.unit, t.created_at AT TIME ZONE p.tz) AS bucket, t.action, t.amount
  FROM coin_transactions t, params p, bounds b
  WHERE t.created_at >= b.from_ts AND t.created_at < b.to_ts),
agg AS (
  SELECT bucket,
         sum(amount) FILTER (WHERE action IN ('add_charger', 'verify_charger', 'upload_photo', 'review')) AS awarded,
         sum(amount) FILTER (WHERE action = 'add_charger') AS add_charger,
         sum(amount) FILTER (WHERE action = 'verify_charger') AS verify_charger,
         sum(amount) FILTER (WHERE action = 'upload_photo') AS upload_photo,
         sum(amount) FILTER (WHERE action = 'review') AS review,
         -sum(amount) FILTER (WHERE action = 'redeem') AS redeemed,
         sum(amount) FILTER (WHERE action = 'adjustment') AS adjustments,
         sum(amount) FILTER (WHERE action = 'reversal') AS reversals,
         sum(amount) AS net
  FROM ev GROUP BY 1),
opening AS (SELECT coalesce(sum(t.amount), 0) AS total FROM coin_transactions t, bounds b WHERE t.created_at < b.from_ts)
SELECT sp.period, coalesce(a.awarded, 0) AS awarded, coalesce(a.add_charger, 0) AS add_charger,
       coalesce(a.verify_charger, 0) AS verify_charger, coalesce(a.upload_photo, 0) AS upload_photo,
       coalesce(a.review, 0) AS review, coalesce(a.redeemed, 0) AS redeemed, coalesce(a.adjustments, 0) AS adjustments,
       coalesce(a.reversals, 0) AS reversals, coalesce(a.net, 0) AS net,
       (SELECT total FROM opening) + sum(coalesce(a.net, 0)) OVER (ORDER BY sp.bucket) AS outstanding
FROM spans sp LEFT JOIN agg a ON a.bucket = sp.bucket
ORDER BY sp.bucket
)SQL";

const char* const coin_earners_sql = R"SQL(,
earned AS (
  SELECT t.user_id,
         sum(t.amount) FILTER (WHERE t.action IN ('add_charger', 'verify_charger', 'upload_photo', 'review')) AS awarded,
         -sum(t.amount) FILTER (WHERE t.action = 'redeem') AS redeemed
  FROM coin_transactions t, bounds b
  WHERE t.created_at >= b.from_ts AND t.created_at < b.to_ts GROUP BY 1)
SELECT rank() OVER (ORDER BY e.awarded DESC) AS rank, u.id::text AS user_id, u.name,
       e.awarded, coalesce(e.redeemed, 0) AS redeemed, u.coin_balance AS balance
FROM earned e JOIN users u ON u.id = e.user_id
WHERE e.awarded > 0
ORDER BY e.awarded DESC, u.id
LIMIT $7::bigint
)SQL";

const char* const moderation_sql = R"SQL(,
queued AS (
  SELECT date_trunc(p.unit, m.created_at AT TIME ZONE p.tz) AS bucket, count(*) AS n
  FROM moderation_items m, params p, bounds b
  WHERE m.created_at >= b.from_ts AND m.created_at < b.to_ts GROUP BY 1),
decided AS (
  SELECT date_trunc(p.unit, m.decided_at AT TIME ZONE p.tz) AS bucket,
         count(*) FILTER (WHERE m.status IN ('approved', 'rejected')) AS decided,
         count(*) FILTER (WHERE m.status = 'approved') AS approved,
         count(*) FILTER (WHERE m.status = 'rejected') AS rejected,
         count(*) FILTER (WHERE m.status = 'escalated') AS escalated,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.decided_at - m.created_at))
           FILTER (WHERE m.status IN ('approved', 'rejected')) AS median_seconds
  FROM moderation_items m, params p, bounds b
  WHERE m.decided_at >= b.from_ts AND m.decided_at < b.to_ts GROUP BY 1)
SELECT sp.period, coalesce(q.n, 0) AS queued, coalesce(d.decided, 0) AS decided,
       coalesce(d.approved, 0) AS approved, coalesce(d.rejected, 0) AS rejected, coalesce(d.escalated, 0) AS escalated,
       (SELECT count(*) FROM moderation_items m
        WHERE m.created_at < sp.end_ts AND NOT (m.status IN ('approved', 'rejected') AND m.decided_at < sp.end_ts)) AS open_at_end,
       round((d.median_seconds / 3600.0)::numeric, 2) AS median_hours_to_decision
FROM spans sp LEFT JOIN queued q ON q.bucket = sp.bucket LEFT JOIN decided d ON d.bucket = sp.bucket
ORDER BY sp.bucket
)SQL";

const char* const moderators_sql = R"SQL(
SELECT coalesce(u.name, u.email::text, u.id::text) AS moderator, u.email::text AS email,
       count(*) FILTER (WHERE m.status IN ('approved', 'rejected')) AS decisions,
       count(*) FILTER (WHERE m.status = 'approved') AS approved,
       count(*) FILTER (WHERE m.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE m.status = 'escalated') AS escalated,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.decided_at - m.created_at))
              FILTER (WHERE m.status IN ('approved', 'rejected')) / 60.0)::numeric, 1) AS median_minutes_to_decision
FROM moderation_items m JOIN users u ON u.id = m.decided_by, bounds b
WHERE m.decided_at >= b.from_ts AND m.decided_at < b.to_ts AND m.status IN ('approved', 'rejected', 'escalated')
GROUP BY u.id, u.name, u.email
ORDER BY decisions DESC, moderator
)SQL";

const char* const fraud_sql = R"SQL(,
alerts AS (SELECT a.* FROM fraud_alerts a, bounds b WHERE a.created_at >= b.from_ts AND a.created_at < b.to_ts),
reversed AS (
  SELECT a.id, -sum(t.amount) AS coins
  FROM alerts a JOIN coin_transactions t ON t.action = 'reversal'
   AND (t.metadata->>'fraud_alert_id' = a.id::text
        OR (a.subject_type = 'user' AND t.user_id::text = a.subject_id AND t.created_at = a.reviewed_at))
  WHERE a.status = 'confirmed' GROUP BY a.id)
SELECT a.rule, count(*) AS alerts,
       count(*) FILTER (WHERE a.status = 'open') AS open,
       count(*) FILTER (WHERE a.status = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE a.status = 'dismissed') AS dismissed,
       round(100.0 * count(*) FILTER (WHERE a.status = 'confirmed')
             / nullif(count(*) FILTER (WHERE a.status IN ('confirmed', 'dismissed')), 0), 1) AS confirmation_rate_pct,
       coalesce(sum(r.coins), 0) AS coins_reversed
FROM alerts a LEFT JOIN reversed r ON r.id = a.id
GROUP BY a.rule ORDER BY a.rule
)SQL";

const char* const impact_sql = R"SQL(,
k AS (SELECT $7::numeric AS per_reservation, $8::numeric AS per_check, $9::numeric AS kmh,
             $10::numeric AS litres_per_km, $11::numeric AS co2_per_litre),
res AS (
  SELECT date_trunc(p.unit, r.starts_at AT TIME ZONE p.tz) AS bucket, count(*) AS n
  FROM reservations r JOIN parking_slots s ON s.id = r.slot_id JOIN lot_filter lf ON lf.id = s.lot_id, params p, bounds b
  WHERE r.status IN ('confirmed', 'active', 'completed') AND r.starts_at >= b.from_ts AND r.starts_at < b.to_ts GROUP BY 1),
chk AS (
  SELECT date_trunc(p.unit, v.created_at AT TIME ZONE p.tz) AS bucket, count(*) AS n
  FROM charger_verifications v JOIN chargers c ON c.id = v.charger_id, params p, bounds b
  WHERE (p.cities = '[]' OR c.city IN (SELECT jsonb_array_elements_text(p.cities)))
    AND v.created_at >= b.from_ts AND v.created_at < b.to_ts GROUP BY 1)
SELECT sp.period, coalesce(res.n, 0) AS reservations, coalesce(chk.n, 0) AS charger_checks,
       round(m.minutes / 60, 1) AS search_hours_saved,
       round(m.minutes / 60 * k.kmh, 1) AS km_avoided,
       round(m.minutes / 60 * k.kmh * k.litres_per_km, 1) AS fuel_litres_saved,
       round(m.minutes / 60 * k.kmh * k.litres_per_km * k.co2_per_litre, 1) AS co2_kg_saved
FROM spans sp LEFT JOIN res ON res.bucket = sp.bucket LEFT JOIN chk ON chk.bucket = sp.bucket CROSS JOIN k
CROSS JOIN LATERAL (SELECT coalesce(res.n, 0) * k.per_reservation + coalesce(chk.n, 0) * k.per_check AS minutes) m
ORDER BY sp.bucket
)SQL";

Column text(const char* n) { return {n, CellType::text}; }
Column integer(const char* n) { return {n, CellType::integer}; }
Column number(const char* n) { return {n, CellType::number}; }
Column stamp(const char* n) { return {n, CellType::timestamp}; }

}  // namespace

const std::vector<Report>& reports() {
    static const std::vector<Report> all = {
        {"revenue", "Revenue", "Payments per period, method and currency: gross taken, refunds (on the day they were refunded), net",
         true, city | lot, false,
         {text("period"), text("method"), text("currency"), integer("payments"), number("gross"), number("refunds"), number("net")},
         with_prefix(revenue_sql.c_str()), Chart{"period", "net", "Net revenue", false},
         {"Amounts in major units (minor units / 100). Gross counts succeeded and refunded payments by the time they were made; "
          "refunds count by the time they were refunded. --city/--lot keep the payments of reservations in those lots."}},
        {"usage", "Parking usage", "Reservations and occupancy per period, lot and slot type, with the peak hour of arrivals",
         true, city | lot, false,
         {text("period"), text("city"), text("lot"), text("slot_type"), integer("slots"), number("period_hours"),
          integer("reservations"), number("reserved_hours"), number("occupancy_pct"), text("peak_hour")},
         with_prefix(usage_sql), Chart{"period", "reservations", "Reservations", false},
         {"Reservations confirmed, active or completed. occupancy_pct = reserved hours overlapping the period / "
          "(slots x period hours); a daylight-saving day has 23 or 25 hours. peak_hour: local hour with the most arrivals."}},
        {"charging", "Charger verifications and availability",
         "On-site charger reports per period and city: verifications, what they found, availability", true, city, false,
         {text("period"), text("city"), integer("active_chargers"), integer("verifications"), integer("available"),
          integer("occupied"), integer("broken"), integer("not_found"), number("availability_pct")},
         with_prefix(charging_sql), Chart{"period", "verifications", "Charger verifications", false},
         {"availability_pct = reports of 'available' / all reports in the period."}},
        {"growth", "Growth", "New and active users, chargers added and verified, per period", true, none, false,
         {text("period"), integer("new_users"), integer("active_users"), integer("total_users"), integer("chargers_added"),
          integer("chargers_verified")},
         with_prefix(growth_sql), Chart{"period", "new_users", "New users", true},
         {"Active users: distinct users with a successful login in the period. Guests are not counted."}},
        {"coins", "Coin economy", "Coins awarded by action, redeemed, adjusted and reversed per period, and the outstanding balance",
         true, none, false,
         {text("period"), integer("awarded"), integer("add_charger"), integer("verify_charger"), integer("upload_photo"),
          integer("review"), integer("redeemed"), integer("adjustments"), integer("reversals"), integer("net"),
          integer("outstanding")},
         with_prefix(coins_sql), Chart{"period", "outstanding", "Outstanding coins", true},
         {"outstanding: the sum of every user's balance at the end of the period (the ledger total)."}},
        {"coin-earners", "Top coin earners", "The users who earned the most coins in the range (--top N, default 10)", false,
         none, true,
         {integer("rank"), text("user_id"), text("name"), integer("awarded"), integer("redeemed"), integer("balance")},
         with_prefix(coin_earners_sql), std::nullopt, {"balance: the user's balance now."}},
        {"moderation", "Moderation queue", "Items queued and decided per period, the queue at the end of each period, median time to decision",
         true, none, false,
         {text("period"), integer("queued"), integer("decided"), integer("approved"), integer("rejected"), integer("escalated"),
          integer("open_at_end"), number("median_hours_to_decision")},
         with_prefix(moderation_sql), Chart{"period", "open_at_end", "Open items", true},
         {"decided: approved or rejected. open_at_end: items created before the end of the period and not approved or "
          "rejected by then (escalated and claimed items count as open)."}},
        {"moderators", "Decisions per moderator", "Decisions per moderator in the range and their median time to decision",
         false, none, false,
         {text("moderator"), text("email"), integer("decisions"), integer("approved"), integer("rejected"), integer("escalated"),
          number("median_minutes_to_decision")},
         with_prefix(moderators_sql), std::nullopt, {}},
        {"access-review", "Staff access review",
         "Every moderator and admin: role, when it was granted and by whom, last decision and days since it", false, none, false,
         staff::roster_columns(), with_prefix(staff::roster_sql().c_str()), std::nullopt,
         {"A snapshot now: --from and --to do not apply. granted_at and granted_by are empty for a role given before "
          "spotctl recorded grants (migration 0012); days_since_last_decision is empty for someone who never decided."}},
        {"fraud", "Fraud alerts", "Alerts raised in the range per rule: triage state, confirmation rate, coins reversed", false,
         none, false,
         {text("rule"), integer("alerts"), integer("open"), integer("confirmed"), integer("dismissed"),
          number("confirmation_rate_pct"), integer("coins_reversed")},
         with_prefix(fraud_sql), std::nullopt,
         {"confirmation_rate_pct = confirmed / (confirmed + dismissed). coins_reversed: reversal ledger rows of a confirmed "
          "alert (metadata fraud_alert_id, or the subject user's reversals written with the review)."}},
        {"impact", "Environmental impact", "Estimated search time, distance, fuel and CO2 saved by reservations and charger checks",
         true, city | lot, false,
         {text("period"), integer("reservations"), integer("charger_checks"), number("search_hours_saved"),
          number("km_avoided"), number("fuel_litres_saved"), number("co2_kg_saved")},
         with_prefix(impact_sql), Chart{"period", "co2_kg_saved", "CO\u2082 saved (kg)", false},
         {fmt::format("Estimates: minutes saved = {} x reservations + {} x charger checks; km = minutes / 60 x {} km/h; "
                      "fuel = km x {} l/km; CO\u2082 = fuel x {} kg/l. See spotctl-report(1).",
                      impact_constants.search_minutes_per_reservation, impact_constants.search_minutes_per_charger_check,
                      impact_constants.cruising_speed_kmh, impact_constants.fuel_litres_per_km,
                      impact_constants.co2_kg_per_litre)}},
    };
    return all;
}

const Report& find_report(std::string_view name) {
    std::string names;
    for (const auto& r : reports()) {
        if (r.name == name) return r;
        names += (names.empty() ? "" : ", ") + std::string(r.name);
    }
    throw Error(Exit::usage, fmt::format("unknown report '{}'", name), "known reports: " + names + " (spotctl report list)");
}

const std::vector<ExportTable>& export_tables() {
    static const std::vector<ExportTable> all = {
        {"payments", "created_at",
         {text("id"), text("user_id"), text("reservation_id"), integer("amount_minor"), text("currency"), text("method"),
          text("provider_ref"), text("status"), stamp("created_at"), stamp("updated_at"), stamp("refunded_at")}},
        {"coin_transactions", "created_at",
         {integer("id"), text("user_id"), text("action"), integer("amount"), integer("balance_after"), integer("reverses_id"),
          text("description"), {"metadata", CellType::json}, stamp("created_at")}},
        {"reservations", "created_at",
         {text("id"), text("user_id"), text("slot_id"), stamp("starts_at"), stamp("ends_at"), text("status"),
          stamp("created_at"), stamp("updated_at")}},
        {"charger_verifications", "created_at",
         {text("id"), text("charger_id"), text("user_id"), text("reported_status"), text("note"), stamp("created_at")}},
        {"moderation_items", "created_at",
         {text("id"), text("subject_type"), text("subject_id"), text("reason"), text("status"), text("decided_by"),
          stamp("decided_at"), text("decision_note"), stamp("created_at")}},
        {"fraud_alerts", "created_at",
         {integer("id"), text("rule"), text("subject_type"), text("subject_id"), stamp("window_start"), stamp("window_end"),
          number("score"), text("status"), stamp("reviewed_at"), stamp("created_at")}},
    };
    return all;
}

const ExportTable& find_export_table(std::string_view name) {
    std::string names;
    for (const auto& t : export_tables()) {
        if (t.name == name) return t;
        names += (names.empty() ? "" : ", ") + std::string(t.name);
    }
    throw Error(Exit::usage, fmt::format("table '{}' cannot be exported", name), "exportable tables: " + names);
}

}  // namespace spotctl::report
