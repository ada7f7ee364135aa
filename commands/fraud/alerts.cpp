// fraud alerts (the queue), fraud show (one alert with its evidence rendered from the rows it
// names), fraud ip block|unblock|list, fraud risk recompute|show.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "commands/fraud/fraud.hpp"
#include "commands/fraud/risk_fold.hpp"
#include "commands/fraud/rules.hpp"
#include "commands/user/account_status.hpp"
#include "core/audit.hpp"
#include "core/errors.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::fraud {
namespace {

using exporters::CellType;

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

std::string checked_id(const std::string& id) {
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
        throw Error(Exit::usage, fmt::format("alert id '{}' is not a number", id), "see `spotctl fraud alerts`");
    return id;
}

// One sub-table of `fraud show`, written with the table writer whatever -o says (show's text
// form is for people; -o json gives the alert with its raw evidence).
void section(std::ostream& out, const std::string& title, const pg::Result& rows) {
    if (rows.empty()) return;
    out << '\n' << title << '\n';
    std::vector<exporters::Column> columns;
    for (std::size_t i = 0; i < rows.columns(); ++i) columns.push_back({rows.column_name(i)});
    auto w = exporters::make_writer(exporters::Format::table, out);
    w->begin(columns);
    for (const auto& row : rows) {
        std::vector<exporters::Cell> cells;
        for (std::size_t i = 0; i < rows.columns(); ++i) cells.push_back(row.value(i));
        w->row(cells);
    }
    w->end();
}

std::string pg_cidr(pg::Transaction& tx, const std::string& text) {
    auto sp = tx.savepoint();
    try {
        auto r = sp.exec("SELECT $1::cidr::text AS c", pg::params(text));
        sp.commit();
        return r[0].str("c");
    } catch (const pg::DbError& e) {
        if (e.sqlstate().rfind("22", 0) != 0) throw;
        throw Error(Exit::usage, fmt::format("'{}' is not a CIDR range: {}", text, e.what()),
                    "write a network such as 203.0.113.0/24, 2001:db8::/32, or one address (a /32 or /128)");
    }
}

}  // namespace

int alerts(Context& ctx, const AlertsOptions& o) {
    static const std::vector<std::string> statuses = {"open", "confirmed", "dismissed", "any"};
    if (std::find(statuses.begin(), statuses.end(), o.status) == statuses.end())
        throw Error(Exit::usage, fmt::format("--status '{}' is not one of open, confirmed, dismissed, any", o.status));
    if (!o.rule.empty()) find_rule(o.rule);  // a typo is an error, not an empty list
    auto r = ctx.db().exec(
        "SELECT id, rule, subject_type, subject_id, " ISO("window_start") " AS window_start, " ISO("window_end") " AS window_end, "
        "score::text AS score, status, evidence->>'summary' AS summary, " ISO("created_at") " AS created_at "
        "FROM fraud_alerts "
        "WHERE ($1 = '' OR rule = $1) AND ($2 = 'any' OR status = $2) AND ($3::numeric IS NULL OR score >= $3::numeric) "
        "ORDER BY score DESC, created_at DESC, id DESC LIMIT $4::bigint",
        pg::params(o.rule, o.status, o.min_score, o.limit));
    auto w = ctx.writer();
    w->begin({{"id", CellType::integer}, {"rule"}, {"subject_type"}, {"subject_id"}, {"window_start", CellType::timestamp},
              {"window_end", CellType::timestamp}, {"score", CellType::number}, {"status"}, {"summary"}, {"created_at", CellType::timestamp}});
    for (const auto& row : r) {
        std::vector<exporters::Cell> cells;
        for (std::size_t i = 0; i < r.columns(); ++i) cells.push_back(row.value(i));
        w->row(cells);
    }
    w->end();
    return 0;
}

int show(Context& ctx, const std::string& id_text) {
    std::string id = checked_id(id_text);
    auto& db = ctx.db();
    auto tx = db.begin(pg::Isolation::repeatable_read);
    auto r = tx.exec(
        "SELECT a.id, a.rule, a.subject_type, a.subject_id, " ISO("a.window_start") " AS window_start, " ISO("a.window_end")
        " AS window_end, a.score::text AS score, a.status, a.evidence::text AS evidence, r.email::text AS reviewer, "
        ISO("a.reviewed_at") " AS reviewed_at, a.note, " ISO("a.suppressed_until") " AS suppressed_until, "
        ISO("a.created_at") " AS created_at, " ISO("a.updated_at") " AS updated_at, "
        "CASE WHEN a.subject_type = 'user' THEN (SELECT coalesce(u.email::text, '(no e-mail)') || ', ' || u.status || ', ' || u.role "
        "  FROM users u WHERE u.id::text = a.subject_id) END AS subject_user "
        "FROM fraud_alerts a LEFT JOIN users r ON r.id = a.reviewer_id WHERE a.id = $1::bigint",
        pg::params(id));
    if (r.empty()) throw Error(Exit::data, fmt::format("no fraud alert with id {}", id), "see `spotctl fraud alerts --status any`");
    auto a = r[0];
    if (ctx.format() != exporters::Format::table) {
        auto w = ctx.writer();
        std::vector<exporters::Column> columns;
        std::vector<exporters::Cell> cells;
        for (std::size_t i = 0; i < r.columns(); ++i) {
            std::string name = r.column_name(i);
            columns.push_back({name, name == "evidence" ? CellType::json : CellType::text});
            cells.push_back(a.value(i));
        }
        w->begin(columns);
        w->row(cells);
        w->end();
        return 0;
    }
    auto& out = ctx.out();
    auto evidence = nlohmann::json::parse(a.str("evidence"));
    out << fmt::format("fraud alert {}: {} (score {}, {})\n", id, a.str("rule"), a.str("score"), a.str("status"));
    out << fmt::format("subject:   {} {}{}\n", a.str("subject_type"), a.str("subject_id"),
                       a.is_null("subject_user") ? "" : " (" + a.str("subject_user") + ")");
    out << fmt::format("window:    {} .. {}\n", a.str("window_start"), a.str("window_end"));
    if (evidence.contains("summary")) out << "finding:   " << evidence["summary"].get<std::string>() << '\n';
    std::string figures;
    for (const auto& [key, value] : evidence.items()) {
        if (key == "summary" || key.ends_with("_ids") || value.is_array()) continue;
        figures += fmt::format("{}{}={}", figures.empty() ? "" : ", ", key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    if (!figures.empty()) out << "figures:   " << figures << '\n';
    for (const auto& [key, value] : evidence.items())
        if (value.is_array() && !key.ends_with("_ids") && !value.empty()) {
            std::string list;
            for (const auto& v : value) list += (list.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
            out << fmt::format("{:<10} {}\n", key + ":", list);
        }
    out << fmt::format("created:   {}, updated {}\n", a.str("created_at"), a.str("updated_at"));
    if (!a.is_null("reviewed_at"))
        out << fmt::format("reviewed:  {} by {}: {}\n", a.str("reviewed_at"), a.str("reviewer"), a.str("note"));
    if (!a.is_null("suppressed_until")) out << fmt::format("suppressed until {}\n", a.str("suppressed_until"));

    auto ids = [&](const char* key) { return "(SELECT jsonb_array_elements_text(evidence->'" + std::string(key) + "') FROM fraud_alerts WHERE id = $1::bigint)"; };
    section(out, "logins (with the place each address was located at):",
            tx.exec("SELECT la.id, " ISO("la.created_at") " AS time, coalesce(u.email::text, la.email::text) AS account, host(la.ip) AS ip, "
                    "CASE WHEN la.success THEN 'success' ELSE 'failed' END AS result, la.country, "
                    "CASE WHEN la.latitude IS NULL THEN NULL ELSE round(la.latitude::numeric, 3) || ',' || round(la.longitude::numeric, 3) END AS place, "
                    "la.user_agent FROM login_attempts la LEFT JOIN users u ON u.id = la.user_id "
                    "WHERE la.id IN (SELECT x::bigint FROM " + ids("login_ids") + " t(x)) ORDER BY la.created_at, la.id",
                    pg::params(id)));
    section(out, "verification timeline (km and km/h from the previous one):",
            tx.exec("WITH v AS (SELECT cv.id, cv.created_at, u.email::text AS verifier, c.name AS charger, c.city, c.latitude, c.longitude, "
                    "o.email::text AS charger_added_by, "
                    "lag(c.latitude) OVER w AS plat, lag(c.longitude) OVER w AS plon, lag(cv.created_at) OVER w AS pat "
                    "FROM charger_verifications cv JOIN chargers c ON c.id = cv.charger_id JOIN users u ON u.id = cv.user_id "
                    "LEFT JOIN users o ON o.id = c.added_by "
                    "WHERE cv.id::text IN (SELECT x FROM " + ids("verification_ids") + " t(x)) WINDOW w AS (PARTITION BY cv.user_id ORDER BY cv.created_at)) "
                    "SELECT " ISO("created_at") " AS time, verifier, charger, city, charger_added_by, "
                    "round((2 * 6371 * asin(least(1, sqrt(power(sin(radians(latitude - plat) / 2), 2) + cos(radians(plat)) * cos(radians(latitude)) * "
                    "power(sin(radians(longitude - plon) / 2), 2)))))::numeric, 1) AS km, "
                    "round((2 * 6371 * asin(least(1, sqrt(power(sin(radians(latitude - plat) / 2), 2) + cos(radians(plat)) * cos(radians(latitude)) * "
                    "power(sin(radians(longitude - plon) / 2), 2)))) / greatest(extract(epoch FROM created_at - pat) / 3600, 1.0 / 60))::numeric) AS kmh "
                    "FROM v ORDER BY created_at",
                    pg::params(id)));
    section(out, "reviews:",
            tx.exec("SELECT " ISO("r.created_at") " AS time, u.email::text AS reviewer, c.name AS charger, o.email::text AS charger_added_by, r.rating "
                    "FROM charger_reviews r JOIN chargers c ON c.id = r.charger_id JOIN users u ON u.id = r.user_id LEFT JOIN users o ON o.id = c.added_by "
                    "WHERE r.id::text IN (SELECT x FROM " + ids("review_ids") + " t(x)) ORDER BY r.created_at",
                    pg::params(id)));
    section(out, "payments:",
            tx.exec("SELECT " ISO("p.created_at") " AS time, u.email::text AS account, p.method, p.card_fingerprint AS card, p.status, "
                    "p.amount_minor || ' ' || p.currency AS amount, host(p.ip) AS ip "
                    "FROM payments p JOIN users u ON u.id = p.user_id "
                    "WHERE p.id::text IN (SELECT x FROM " + ids("payment_ids") + " t(x)) ORDER BY p.created_at",
                    pg::params(id)));
    section(out, "accounts involved:",
            tx.exec("SELECT u.id, u.email::text AS email, u.status, u.role, " ISO("u.created_at") " AS created_at FROM users u "
                    "WHERE u.id::text IN (SELECT x FROM " + ids("user_ids") + " t(x)) ORDER BY u.email",
                    pg::params(id)));
    tx.commit();
    return 0;
}

int ip_block(Context& ctx, const IpBlockOptions& o) {
    if (o.reason.empty() || o.reason.find_first_not_of(" \t") == std::string::npos) throw Error(Exit::usage, "fraud ip block needs --reason");
    auto tx = ctx.db().begin();
    auto who = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "fraud ip block");
    std::string cidr = pg_cidr(tx, o.cidr);
    auto dup = tx.exec("SELECT id::text AS id FROM ip_blacklist WHERE cidr = $1::cidr AND (expires_at IS NULL OR expires_at > now())",
                       pg::params(cidr));
    if (!dup.empty()) throw Error(Exit::data, fmt::format("{} is already blocked (ip_blacklist {})", cidr, dup[0].str("id")));
    auto r = tx.exec("INSERT INTO ip_blacklist (cidr, reason, created_by, expires_at) VALUES ($1::cidr, $2, $3::uuid, $4::timestamptz) "
                     "RETURNING id::text AS id, " ISO("expires_at") " AS expires_at",
                     pg::params(cidr, o.reason, who.id, o.expires ? std::optional(user::resolve_until(tx, *o.expires, "--expires")) : std::nullopt));
    auto e = rulebook::audit_entry(who, "fraud.ip_block", "ip_blacklist", r[0].str("id"), o.reason);
    nlohmann::json after = {{"cidr", cidr}, {"expires_at", r[0].is_null("expires_at") ? nlohmann::json(nullptr) : nlohmann::json(r[0].str("expires_at"))}};
    e.after = after.dump();
    audit::record(tx, e);
    tx.commit();
    if (!ctx.options().quiet)
        ctx.out() << fmt::format("blocked {}{} (ip_blacklist {})\n", cidr, r[0].is_null("expires_at") ? "" : " until " + r[0].str("expires_at"),
                                 r[0].str("id"));
    return 0;
}

int ip_unblock(Context& ctx, const IpBlockOptions& o) {
    if (o.reason.empty()) throw Error(Exit::usage, "fraud ip unblock needs --reason");
    auto tx = ctx.db().begin();
    auto who = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "fraud ip unblock");
    std::string cidr = pg_cidr(tx, o.cidr);
    // Lifted entries stay as history: the block ends now.
    auto r = tx.exec("UPDATE ip_blacklist SET expires_at = greatest(now(), created_at + interval '1 millisecond') "
                     "WHERE cidr = $1::cidr AND (expires_at IS NULL OR expires_at > now()) "
                     "RETURNING id::text AS id, " ISO("expires_at") " AS expires_at",
                     pg::params(cidr));
    if (r.empty()) throw Error(Exit::data, fmt::format("{} is not blocked", cidr), "see `spotctl fraud ip list`");
    for (const auto& row : r) {
        auto e = rulebook::audit_entry(who, "fraud.ip_unblock", "ip_blacklist", row.str("id"), o.reason);
        e.after = nlohmann::json{{"cidr", cidr}, {"expires_at", row.str("expires_at")}}.dump();
        audit::record(tx, e);
    }
    tx.commit();
    if (!ctx.options().quiet) ctx.out() << fmt::format("unblocked {}\n", cidr);
    return 0;
}

int ip_list(Context& ctx, bool all) {
    auto r = ctx.db().exec(
        "SELECT b.id::text AS id, b.cidr::text AS cidr, b.reason, u.email::text AS created_by, " ISO("b.created_at") " AS created_at, "
        ISO("b.expires_at") " AS expires_at, (b.expires_at IS NULL OR b.expires_at > now()) AS active "
        "FROM ip_blacklist b LEFT JOIN users u ON u.id = b.created_by "
        "WHERE $1 OR b.expires_at IS NULL OR b.expires_at > now() ORDER BY b.cidr, b.created_at",
        pg::params(all));
    auto w = ctx.writer();
    w->begin({{"id"}, {"cidr"}, {"reason"}, {"created_by"}, {"created_at", CellType::timestamp}, {"expires_at", CellType::timestamp},
              {"active", CellType::boolean}});
    for (const auto& row : r) {
        std::vector<exporters::Cell> cells;
        for (std::size_t i = 0; i < r.columns(); ++i) cells.push_back(row.value(i));
        w->row(cells);
    }
    w->end();
    return 0;
}

namespace {
// Open and confirmed alerts per user: alerts about the user, and alerts about an address or a
// card whose evidence names the user's account.
constexpr const char* user_alerts_sql = R"SQL(
SELECT x.user_id::text AS user_id, a.id, a.rule, a.score::float8 AS score, a.status
  FROM fraud_alerts a
 CROSS JOIN LATERAL (
       SELECT a.subject_id AS user_id WHERE a.subject_type = 'user'
       UNION
       SELECT jsonb_array_elements_text(a.evidence->'user_ids')
        WHERE a.subject_type <> 'user' AND jsonb_typeof(a.evidence->'user_ids') = 'array') x
  JOIN users u ON u.id::text = x.user_id
 WHERE a.status IN ('open', 'confirmed') AND ($1::text IS NULL OR x.user_id = $1::text)
 ORDER BY x.user_id, a.id)SQL";
}  // namespace

int risk_recompute(Context& ctx) {
    auto tx = ctx.db().begin();
    // One recompute at a time: the profiles are rewritten as a whole.
    tx.exec("LOCK TABLE user_risk_profiles IN SHARE ROW EXCLUSIVE MODE");
    auto r = tx.exec(user_alerts_sql, pg::params(std::nullopt));
    std::map<std::string, std::vector<AlertFactor>> per_user;
    for (const auto& row : r) per_user[row.str("user_id")].push_back({row.str("rule"), row.number("score"), row.str("status")});
    nlohmann::json profiles = nlohmann::json::array();
    for (const auto& [user, list] : per_user) {
        auto factors = risk_factors(list);
        if (factors.empty()) continue;
        nlohmann::json f = nlohmann::json::object();
        for (const auto& [rule, value] : factors) f[rule] = std::round(value * 10000) / 10000;
        profiles.push_back({{"user_id", user}, {"score", std::round(fold_risk(factors) * 10000) / 10000}, {"factors", f}});
    }
    auto out = tx.exec(R"SQL(
WITH n AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(user_id uuid, score numeric, factors jsonb)),
up AS (
    INSERT INTO user_risk_profiles (user_id, score, factors) SELECT user_id, score, factors FROM n
    ON CONFLICT (user_id) DO UPDATE SET score = EXCLUDED.score, factors = EXCLUDED.factors
     WHERE (user_risk_profiles.score, user_risk_profiles.factors) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.factors)
    RETURNING 1
), del AS (
    DELETE FROM user_risk_profiles p WHERE NOT EXISTS (SELECT 1 FROM n WHERE n.user_id = p.user_id) RETURNING 1
)
SELECT (SELECT count(*) FROM n) AS profiles, (SELECT count(*) FROM up) AS changed, (SELECT count(*) FROM del) AS removed,
       (SELECT count(*) FROM n WHERE score >= 0.7) AS high)SQL",
                       pg::params(profiles.dump()));
    tx.commit();
    auto row = out[0];
    auto w = ctx.writer();
    w->begin({{"profiles", CellType::integer}, {"changed", CellType::integer}, {"removed", CellType::integer},
              {"at_or_above_0.7", CellType::integer}});
    w->row({row.str("profiles"), row.str("changed"), row.str("removed"), row.str("high")});
    w->end();
    return 0;
}

int risk_show(Context& ctx, const std::string& user) {
    auto& db = ctx.db();
    auto tx = db.begin(pg::Isolation::repeatable_read);
    auto u = tx.exec("SELECT id::text AS id, coalesce(email::text, '(no e-mail)') AS email, status FROM users "
                     "WHERE id::text = lower($1) OR email = $1::citext",
                     pg::params(user));
    if (u.empty()) throw Error(Exit::data, fmt::format("no user with id or e-mail '{}'", user));
    std::string id = u[0].str("id");
    auto p = tx.exec("SELECT score::text AS score, factors::text AS factors, " ISO("updated_at") " AS updated_at "
                     "FROM user_risk_profiles WHERE user_id = $1::uuid",
                     pg::params(id));
    auto alerts = tx.exec(user_alerts_sql, pg::params(id));
    auto details = tx.exec("SELECT a.id, a.rule, a.status, a.score::text AS score, " ISO("a.window_start") " AS window_start, "
                           "a.evidence->>'summary' AS summary FROM fraud_alerts a WHERE a.id = ANY($1::bigint[]) ORDER BY a.rule, a.score DESC",
                           pg::params([&] {
                               std::string ids = "{";
                               for (const auto& row : alerts) ids += (ids.size() > 1 ? "," : "") + row.str("id");
                               return ids + "}";
                           }()));
    tx.commit();
    if (ctx.format() != exporters::Format::table) {
        auto w = ctx.writer();
        w->begin({{"user_id"}, {"email"}, {"score", CellType::number}, {"factors", CellType::json}, {"updated_at", CellType::timestamp}});
        if (!p.empty()) w->row({id, u[0].str("email"), p[0].str("score"), p[0].str("factors"), p[0].str("updated_at")});
        w->end();
        return 0;
    }
    auto& out = ctx.out();
    out << fmt::format("user {} ({}, {})\n", id, u[0].str("email"), u[0].str("status"));
    if (p.empty()) {
        out << "no risk profile: no open or confirmed fraud alert named this user at the last `spotctl fraud risk recompute`\n";
    } else {
        out << fmt::format("risk score {} (computed {})\n", p[0].str("score"), p[0].str("updated_at"));
        out << fmt::format("each rule adds its strongest alert (confirmed x1, open x{}), combined as 1 - (1 - a)(1 - b)...:\n", open_weight);
        auto factors = nlohmann::json::parse(p[0].str("factors"));
        for (const auto& [rule, value] : factors.items()) out << fmt::format("  {:<22} {}\n", rule, value.dump());
    }
    section(out, "open and confirmed alerts now:", details);
    return 0;
}

}  // namespace spotctl::fraud
