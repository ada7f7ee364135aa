// fraud review: confirm an alert with one action, or dismiss it (optionally suppressing the same
// finding for a while). Each review is one transaction holding the alert row lock, the action
// and exactly one audit_log row.
#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/fraud/fraud.hpp"
#include "commands/user/account_status.hpp"
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

}  // namespace

int review(Context& ctx, const ReviewOptions& o) {
    if (o.reason.empty()) throw Error(Exit::usage, "a review needs --reason");
    static const std::vector<std::string> actions = {"suspend", "ban", "reverse-coins", "block-ip"};
    if (o.confirm && std::find(actions.begin(), actions.end(), o.action) == actions.end())
        throw Error(Exit::usage, fmt::format("--action '{}' is not one of suspend, ban, reverse-coins, block-ip", o.action));
    auto suppress = suppress_for(o.suppress);
    std::optional<std::string> expires;

    auto& db = ctx.db();
    auto tx = db.begin();
    rulebook::Level level = o.confirm && o.action == "ban" ? rulebook::Level::admin : rulebook::Level::moderator;
    std::string verb = o.confirm ? "fraud review confirm" : "fraud review dismiss";
    auto who = rulebook::require_actor(tx, o.actor, level, o.confirm && o.action == "ban" ? verb + " --action ban" : verb);
    Alert a = lock_alert(tx, o.id);
    std::string message;
    std::optional<std::string> sanctioned_user;

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
        sanctioned_user = a.subject_id;
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
    if (sanctioned_user) user::drop_cache_keys(ctx, *sanctioned_user);
    return 0;
}

}  // namespace spotctl::fraud
