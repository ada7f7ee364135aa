#include "commands/doctor/data_sql.hpp"

#include <fmt/format.h>

#include "rulebook/derived_scores.hpp"
#include "rulebook/lifetimes.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::doctor::data {
namespace {

// Reward rows that no reversal undid: what a subject has been paid.
std::string live_rewards_sql() {
    return fmt::format(R"(SELECT t.id, t.action, {0} AS subject_id
  FROM coin_transactions t
 WHERE t.action IN ({1})
   AND NOT EXISTS (SELECT 1 FROM coin_transactions r WHERE r.reverses_id = t.id))",
                       rulebook::reward_subject_sql("t.metadata"), rulebook::reward_actions_sql());
}

}  // namespace

std::string uuid_or_null(std::string_view text) {
    return fmt::format("CASE WHEN {0} ~* '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$' THEN ({0})::uuid END", text);
}

std::string reward_orphans_sql() {
    // One anti-join per reward: its subject table, by the id the row's metadata names.
    std::string sql;
    for (const auto& r : rulebook::rewards)
        sql += fmt::format(R"({0}SELECT w.id::text AS id FROM ({1}) w
 WHERE w.action = '{2}' AND NOT EXISTS (SELECT 1 FROM {3} s WHERE s.id = {4}))",
                           sql.empty() ? "" : "\nUNION ALL\n", live_rewards_sql(), r.action, r.subject_table, uuid_or_null("w.subject_id"));
    return sql;
}

std::string reward_duplicates_sql() {
    // The first payment of a subject stands; every later one is a duplicate.
    return fmt::format(R"(SELECT id::text AS id FROM (
  SELECT w.id, row_number() OVER (PARTITION BY w.action, w.subject_id ORDER BY w.id) AS nth
    FROM ({}) w WHERE w.subject_id IS NOT NULL) d
 WHERE nth > 1)",
                       live_rewards_sql());
}

std::string verification_level_sql() {
    return fmt::format(R"(SELECT c.id::text AS id FROM chargers c LEFT JOIN ({}) v ON v.charger_id = c.id
 WHERE c.verification_level <> coalesce(v.verification_level, 0))",
                       rulebook::verification_counts_sql());
}

std::string verification_level_repair_sql() {
    return fmt::format(R"(UPDATE chargers c SET verification_level = coalesce(v.verification_level, 0)
  FROM (SELECT s.id, x.verification_level FROM (SELECT b::uuid AS id FROM {0} AS q(b)) s
          LEFT JOIN ({1}) x ON x.charger_id = s.id) v
 WHERE c.id = v.id AND c.verification_level <> coalesce(v.verification_level, 0)
RETURNING c.id::text AS id)",
                       batch_ids, rulebook::verification_counts_sql());
}

std::string trust_score_sql() {
    return fmt::format(R"(SELECT u.id::text AS id FROM users u LEFT JOIN ({}) c ON c.user_id = u.id
 WHERE u.trust_score <> coalesce(c.trust_score, 0))",
                       rulebook::contributions_sql());
}

std::string trust_score_repair_sql() {
    return rulebook::recompute_trust_sql(fmt::format("SELECT b::uuid FROM {} AS q(b)", batch_ids)) + " RETURNING u.id::text AS id";
}

std::string expired_suspensions_sql() {
    return fmt::format("SELECT id::text AS id FROM users WHERE status = 'suspended' AND suspended_until <= {}", now_sql);
}

std::string expired_suspensions_repair_sql() {
    // What `user restore` does, for suspensions that ended by themselves.
    return fmt::format(R"(UPDATE users SET status = 'active', suspended_until = NULL
 WHERE id::text IN {} AND status = 'suspended' AND suspended_until <= {}
RETURNING id::text AS id)",
                       batch_ids, now_sql);
}

std::string stale_claims_sql() {
    // "Long ago": a whole further lease has passed since the claim ran out, so a moderator who is
    // merely late to renew is not swept.
    return fmt::format("SELECT id::text AS id FROM moderation_items WHERE status = 'claimed' AND claimed_until < {} - {}",
                       now_sql, rulebook::interval_sql(rulebook::claim_lease));
}

std::string stale_claims_repair_sql() {
    return fmt::format(R"(UPDATE moderation_items SET status = 'open', claimed_by = NULL, claimed_until = NULL
 WHERE id::text IN {} AND status = 'claimed' AND claimed_until < {} - {}
RETURNING id::text AS id)",
                       batch_ids, now_sql, rulebook::interval_sql(rulebook::claim_lease));
}

}  // namespace spotctl::doctor::data
