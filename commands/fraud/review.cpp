// fraud review: confirm an alert with one action, or dismiss it (optionally suppressing the same
// finding for a while). Each review is one transaction holding the alert row lock, the action
// and exactly one audit_log row.
#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/fraud/fraud.hpp"
#include "commands/user/account_status.hpp"
#include "commands/user/sessions.hpp"
#include "core/audit.hpp"
#include "core/duration.hpp"
#include "core/errors.hpp"
#include "rulebook/actor.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::fraud {
namespace {

struct Alert {
    std::string id, rule, subject_type, subject_id, status, window_start, window_end;
};

// $1 the user, $2 and $3 the alert's window, $4 the alert: the user's rewards (the rulebook's
// reward actions) earned during the window (an hour's grace for the reward to follow the act),
// not reversed yet, oldest first, as far as the balance covers them: each becomes a
// compensating 'reversal' row; the ledger trigger keeps the balance.
const std::string reverse_rewards_sql = fmt::format(R"SQL(
WITH bal AS (SELECT coin_balance FROM users WHERE id = $1::uuid FOR UPDATE),
due AS (
    SELECT t.id, t.amount, sum(t.amount) OVER (ORDER BY t.id) AS running
      FROM coin_transactions t
     WHERE t.user_id = $1::uuid AND t.action IN ({})
       AND t.created_at >= $2::timestamptz AND t.created_at <= $3::timestamptz + interval '1 hour'
       AND NOT EXISTS (SELECT 1 FROM coin_transactions x WHERE x.reverses_id = t.id)
), ins AS (
    INSERT INTO coin_transactions (user_id, action, amount, reverses_id, description, metadata)
    SELECT $1::uuid, 'reversal', -d.amount, d.id, format('reversed: fraud alert %s', $4::text),
           jsonb_build_object('fraud_alert', $4::bigint)
      FROM due d, bal WHERE d.running <= bal.coin_balance
     ORDER BY d.id
    RETURNING reverses_id, amount
)
SELECT (SELECT count(*) FROM ins) AS reversed, (SELECT coalesce(-sum(amount), 0) FROM ins) AS coins,
       (SELECT count(*) FROM due) AS due, (SELECT coalesce(sum(amount), 0) FROM due) AS due_coins,
       (SELECT coalesce(jsonb_agg(reverses_id ORDER BY reverses_id), '[]') FROM ins)::text AS ids)SQL", rulebook::reward_actions_sql());

// $1 the user.
const std::string trust_of_user_sql = rulebook::recompute_trust_sql("SELECT $1::uuid");

Alert lock_alert(pg::Transaction& tx, const std::string& id) {
    bool numeric = !id.empty() && id.size() < 19 && id.find_first_not_of("0123456789") == std::string::npos;
    if (!numeric) throw Error(Exit::usage, fmt::format("alert id '{}' is not a number", id), "see `spotctl fraud alerts`");
    auto r = tx.exec("SELECT id::text AS id, rule, subject_type, subject_id, status, window_start::text AS ws, window_end::text AS we "
                     "FROM fraud_alerts WHERE id = $1::bigint FOR UPDATE",
                     pg::params(id));
    if (r.empty()) throw Error(Exit::data, fmt::format("no fraud alert with id {}", id), "see `spotctl fraud alerts --status any`");
    auto row = r[0];
    Alert a{row.str("id"), row.str("rule"), row.str("subject_type"), row.str("subject_id"), row.str("status"), row.str("ws"), row.str("we")};
    if (a.status != "open")
        throw Error(Exit::temp_fail, fmt::format("fraud alert {} is already {}", id, a.status),
                    "another reviewer decided it first; see `spotctl fraud show " + id + "`");
    return a;
}

void mark(pg::Transaction& tx, const Alert& a, const rulebook::Actor& who, const std::string& status, const std::string& note,
          std::optional<Millis> suppress) {
    tx.exec("UPDATE fraud_alerts SET status = $2, reviewer_id = $3::uuid, reviewed_at = now(), note = $4, "
            "suppressed_until = now() + $5::bigint * interval '1 millisecond' "
            "WHERE id = $1::bigint",
            pg::params(a.id, status, who.id, note, suppress ? std::optional<long long>(suppress->count()) : std::nullopt));
}

// --suppress takes the one duration syntax, with a unit: a bare "30" was days here before, and
// seconds everywhere else, so it is refused rather than guessed.
std::optional<Millis> suppress_for(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    if (text->find_first_not_of("0123456789.") == std::string::npos)
        throw Error(Exit::usage, fmt::format("--suppress '{}' needs a unit", *text), fmt::format("such as {}d for days", *text));
    Millis d = parse_duration(*text, "--suppress");
    if (d.count() <= 0) throw Error(Exit::usage, "--suppress takes a duration above 0, such as 30d");
    return d;
}

void need_subject(const Alert& a, const std::string& type, const std::string& action) {
    if (a.subject_type != type)
        throw Error(Exit::usage,
                    fmt::format("--action {} needs an alert about a {}; alert {} ({}) is about {} {}", action, type, a.id, a.rule,
                                a.subject_type, a.subject_id),
                    type == "ip" ? "block a range with `spotctl fraud ip block CIDR`" : "");
}

// The accounts an alert acts on, locked: a card's linked accounts (the evidence's user_ids), or
// the user it is about.
std::vector<std::string> linked_users(pg::Transaction& tx, const Alert& a) {
    std::vector<std::string> out;
    for (auto r : tx.exec("SELECT u.id::text AS id FROM fraud_alerts f "
                          "CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN f.subject_type = 'user' THEN jsonb_build_array(f.subject_id) "
                          "ELSE coalesce(f.evidence->'user_ids', '[]') END) x(id) "
                          "JOIN users u ON u.id = x.id::uuid WHERE f.id = $1::bigint ORDER BY u.id FOR UPDATE OF u",
                          pg::params(a.id)))
        out.push_back(r.str("id"));
    return out;
}

// What a review leaves for after its commit: the Redis keys of the accounts it changed.
struct CacheWork {
    std::vector<std::string> sanctioned;                                  // every key of the account
    std::vector<std::pair<std::string, std::vector<std::string>>> revoked;  // only these sessions' keys
};

// suspend-all: every active linked account of a card, suspended in this review (one audit row,
// the review's own); accounts no longer active are listed as skipped.
std::string suspend_all(pg::Transaction& tx, const rulebook::Actor& who, const Alert& a, const ReviewOptions& o, audit::Entry& e,
                        CacheWork& cache) {
    need_subject(a, "card", o.action);
    std::string until = user::resolve_until(tx, o.until.value_or("7d"));
    std::string until_utc =
        tx.exec(R"(SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))", pg::params(until))[0].str(0);
    nlohmann::json suspended = nlohmann::json::array(), skipped = nlohmann::json::array(), linked = nlohmann::json::array();
    for (const auto& id : linked_users(tx, a)) {
        linked.push_back(id);
        std::string status = tx.exec("SELECT status FROM users WHERE id = $1::uuid", pg::params(id))[0].str("status");
        if (status != "active") {
            skipped.push_back({{"user_id", id}, {"status", status}});
            continue;
        }
        user::StatusChange c;
        c.user_id = id;
        c.sanction = user::Sanction::suspend;
        c.until = until;
        c.reason = fmt::format("fraud alert {} ({}): {}", a.id, a.rule, o.reason);
        c.action = "fraud.confirm.suspend_all";
        c.write_audit = false;
        auto changed = user::change_status(tx, who, c);
        suspended.push_back({{"user_id", id}, {"before", nlohmann::json::parse(changed.before)},
                             {"after", nlohmann::json::parse(changed.after)}, {"sessions_revoked", changed.sessions_revoked}});
        cache.sanctioned.push_back(id);
    }
    e.before = nlohmann::json{{"status", "open"}, {"linked_users", linked}}.dump();
    e.after = nlohmann::json{{"status", "confirmed"}, {"suspended", suspended}, {"skipped", skipped}, {"until", until_utc}}.dump();
    return fmt::format("confirmed fraud alert {}: suspended {} of {} linked account(s) until {}", a.id, suspended.size(), linked.size(),
                       until_utc);
}

// revoke-sessions (a card's linked accounts, or the user) and secure-account (the user keeps the
// account after a takeover: sessions revoked, a new password required at the next login).
std::string revoke_all(pg::Transaction& tx, const Alert& a, const ReviewOptions& o, audit::Entry& e, CacheWork& cache) {
    bool secure = o.action == "secure-account";
    if (secure) need_subject(a, "user", o.action);
    else if (a.subject_type != "card" && a.subject_type != "user") need_subject(a, "card or user", o.action);
    nlohmann::json before = nlohmann::json::array(), after = nlohmann::json::array();
    std::size_t sessions = 0;
    for (const auto& id : linked_users(tx, a)) {
        nlohmann::json was = {{"user_id", id}}, now = {{"user_id", id}};
        if (secure) {
            was["password_reset_required"] = tx.exec("SELECT password_reset_required FROM users WHERE id = $1::uuid", pg::params(id))[0].boolean(0);
            tx.exec("UPDATE users SET password_reset_required = true WHERE id = $1::uuid", pg::params(id));
            now["password_reset_required"] = true;
        }
        auto revoked = user::revoke_active_sessions(tx, id);
        now["revoked_sessions"] = revoked.ids;
        sessions += revoked.ids.size();
        before.push_back(was);
        after.push_back(now);
        cache.revoked.emplace_back(id, revoked.token_hashes);
    }
    e.before = nlohmann::json{{"status", "open"}, {"users", before}}.dump();
    e.after = nlohmann::json{{"status", "confirmed"}, {"users", after}}.dump();
    return fmt::format("confirmed fraud alert {}: revoked {} session(s) of {} account(s){}", a.id, sessions, after.size(),
                       secure ? "; a new password is required at the next login" : "");
}

}  // namespace

int review(Context& ctx, const ReviewOptions& o) {
    if (o.reason.empty()) throw Error(Exit::usage, "a review needs --reason");
    static const std::vector<std::string> actions = {"suspend",   "ban", "reverse-coins", "block-ip", "suspend-all", "revoke-sessions",
                                                     "secure-account"};
    if (o.confirm && std::find(actions.begin(), actions.end(), o.action) == actions.end())
        throw Error(Exit::usage, fmt::format("--action '{}' is not one of suspend, ban, reverse-coins, block-ip, suspend-all, "
                                             "revoke-sessions, secure-account",
                                             o.action));
    auto suppress = suppress_for(o.suppress);
    std::optional<std::string> expires;

    auto& db = ctx.db();
    auto tx = db.begin();
    rulebook::Level level = o.confirm && o.action == "ban" ? rulebook::Level::admin : rulebook::Level::moderator;
    std::string verb = o.confirm ? "fraud review confirm" : "fraud review dismiss";
    auto who = rulebook::require_actor(tx, o.actor, level, o.confirm && o.action == "ban" ? verb + " --action ban" : verb);
    Alert a = lock_alert(tx, o.id);
    std::string message;
    CacheWork cache;

    nlohmann::json before = {{"status", a.status}};
    if (!o.confirm) {
        mark(tx, a, who, "dismissed", o.reason, suppress);
        auto e = rulebook::audit_entry(who, "fraud.dismiss", "fraud_alert", a.id, o.reason);
        nlohmann::json after = {{"status", "dismissed"}, {"rule", a.rule}, {"subject", a.subject_type + " " + a.subject_id}};
        if (o.suppress) after["suppress"] = *o.suppress;
        e.before = before.dump();
        e.after = after.dump();
        audit::record(tx, e);
        message = fmt::format("dismissed fraud alert {} ({} {} {}){}", a.id, a.rule, a.subject_type, a.subject_id,
                              o.suppress ? fmt::format("; the same finding is suppressed for {}", *o.suppress) : "");
    } else if (o.action == "suspend" || o.action == "ban") {
        need_subject(a, "user", o.action);
        // The shared account mechanism writes the audit row (action fraud.confirm.suspend|ban).
        user::StatusChange c;
        c.user_id = a.subject_id;
        c.sanction = o.action == "ban" ? user::Sanction::ban : user::Sanction::suspend;
        if (c.sanction == user::Sanction::suspend)
            c.until = user::resolve_until(tx, o.until.value_or("7d"));
        c.reason = fmt::format("fraud alert {} ({}): {}", a.id, a.rule, o.reason);
        c.action = "fraud.confirm." + o.action;
        auto changed = user::change_status(tx, who, c);
        mark(tx, a, who, "confirmed", o.action + ": " + o.reason, std::nullopt);
        cache.sanctioned.push_back(a.subject_id);
        message = fmt::format("confirmed fraud alert {}: user {} {} -> {}{}", a.id, changed.email.empty() ? a.subject_id : changed.email,
                              changed.old_status, changed.new_status,
                              changed.suspended_until ? " until " + *changed.suspended_until : "");
    } else if (o.action == "reverse-coins") {
        need_subject(a, "user", o.action);
        auto r = tx.exec(reverse_rewards_sql,
                         pg::params(a.subject_id, a.window_start, a.window_end, a.id));
        tx.exec(trust_of_user_sql, pg::params(a.subject_id));  // reversed contributions no longer count
        long long reversed = r[0].integer("reversed"), coins = r[0].integer("coins"), due = r[0].integer("due"),
                  due_coins = r[0].integer("due_coins");
        mark(tx, a, who, "confirmed", o.action + ": " + o.reason, std::nullopt);
        auto e = rulebook::audit_entry(who, "fraud.confirm.reverse_coins", "fraud_alert", a.id, o.reason);
        nlohmann::json after = {{"status", "confirmed"}, {"user_id", a.subject_id}, {"reversed_rows", reversed},
                                {"coins", coins}, {"reversed_ids", nlohmann::json::parse(r[0].str("ids"))}};
        if (reversed < due) after["not_reversed_coins"] = due_coins - coins;
        e.before = before.dump();
        e.after = after.dump();
        audit::record(tx, e);
        message = fmt::format("confirmed fraud alert {}: reversed {} reward(s), {} coin(s), of user {}{}", a.id, reversed, coins,
                              a.subject_id,
                              reversed < due ? fmt::format("; {} coin(s) in {} reward(s) not reversed: the balance does not cover them",
                                                           due_coins - coins, due - reversed)
                                             : "");
    } else if (o.action == "suspend-all" || o.action == "revoke-sessions" || o.action == "secure-account") {
        std::string name = o.action;
        std::replace(name.begin(), name.end(), '-', '_');
        auto e = rulebook::audit_entry(who, "fraud.confirm." + name, "fraud_alert", a.id, o.reason);
        message = o.action == "suspend-all" ? suspend_all(tx, who, a, o, e, cache) : revoke_all(tx, a, o, e, cache);
        mark(tx, a, who, "confirmed", o.action + ": " + o.reason, std::nullopt);
        audit::record(tx, e);
    } else {  // block-ip
        need_subject(a, "ip", o.action);
        if (o.expires) expires = user::resolve_until(tx, *o.expires, "--expires");
        auto r = tx.exec(
            "INSERT INTO ip_blacklist (cidr, reason, created_by, expires_at) "
            "SELECT set_masklen($1::inet, CASE family($1::inet) WHEN 4 THEN 32 ELSE 128 END)::cidr, $2, $3::uuid, $4::timestamptz "
            "RETURNING id::text AS id, cidr::text AS cidr",
            pg::params(a.subject_id, fmt::format("fraud alert {} ({}): {}", a.id, a.rule, o.reason), who.id, expires));
        mark(tx, a, who, "confirmed", o.action + ": " + o.reason, std::nullopt);
        auto e = rulebook::audit_entry(who, "fraud.confirm.block_ip", "fraud_alert", a.id, o.reason);
        nlohmann::json after = {{"status", "confirmed"}, {"ip_blacklist_id", r[0].str("id")}, {"cidr", r[0].str("cidr")}};
        if (expires) after["expires"] = *expires;
        e.before = before.dump();
        e.after = after.dump();
        audit::record(tx, e);
        message = fmt::format("confirmed fraud alert {}: blocked {}{}", a.id, r[0].str("cidr"), expires ? " until " + *expires : "");
    }
    tx.commit();
    if (!ctx.options().quiet) ctx.out() << message << '\n';
    // After the commit: a cache is never ahead of the database.
    for (const auto& id : cache.sanctioned) user::drop_cache_keys(ctx, id);
    for (const auto& [id, hashes] : cache.revoked) user::drop_session_keys(ctx, id, hashes);
    return 0;
}

}  // namespace spotctl::fraud
