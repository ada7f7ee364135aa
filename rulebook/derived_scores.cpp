#include "rulebook/derived_scores.hpp"

#include <fmt/format.h>

#include "rulebook/lifetimes.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::rulebook {

std::string trust_score_sql(std::string_view chargers_added, std::string_view verifications, std::string_view photos_uploaded) {
    return fmt::format("LEAST({}, ({}) * {} + ({}) * {} + ({}) * {})", trust_cap, chargers_added, trust_per_charger_added,
                       verifications, trust_per_verification, photos_uploaded, trust_per_photo_uploaded);
}

std::string contributions_sql() {
    // Reward rows that no reversal undid.
    return fmt::format(R"(SELECT c.user_id, c.chargers_added, c.verifications, c.photos_uploaded,
       {3} AS trust_score
  FROM (SELECT t.user_id,
               count(*) FILTER (WHERE t.action = '{0}') AS chargers_added,
               count(*) FILTER (WHERE t.action = '{1}') AS verifications,
               count(*) FILTER (WHERE t.action = '{2}') AS photos_uploaded
          FROM coin_transactions t
         WHERE t.action IN ('{0}', '{1}', '{2}')
           AND NOT EXISTS (SELECT 1 FROM coin_transactions r WHERE r.reverses_id = t.id)
         GROUP BY t.user_id) c)",
                       add_charger.action, verify_charger.action, upload_photo.action,
                       trust_score_sql("c.chargers_added", "c.verifications", "c.photos_uploaded"));
}

std::string recompute_trust_sql(std::string_view user_ids_sql) {
    return fmt::format(R"(UPDATE users u SET trust_score = coalesce(t.trust_score, 0)
  FROM (SELECT s.id, c.trust_score FROM ({0}) AS s(id) LEFT JOIN ({1}) c ON c.user_id = s.id) t
 WHERE u.id = t.id AND u.trust_score IS DISTINCT FROM coalesce(t.trust_score, 0))",
                       user_ids_sql, contributions_sql());
}

std::string verification_level_sql(std::string_view n) {
    return fmt::format("CASE WHEN ({0}) <= 0 THEN 0 ELSE LEAST({1}, 1 + ({0}) / {2}) END", n, verification_level_max,
                       verifications_per_level);
}

std::string verification_counts_sql() {
    std::string accepted;
    for (auto s : accepted_reports) accepted += fmt::format("{}'{}'", accepted.empty() ? "" : ", ", s);
    return fmt::format(R"(SELECT v.charger_id, v.accepted_recent, {0} AS verification_level
  FROM (SELECT cv.charger_id,
               count(*) FILTER (WHERE cv.reported_status IN ({1}) AND u.status <> 'banned'
                                  AND cv.created_at > l.latest - {2}) AS accepted_recent
          FROM charger_verifications cv
          JOIN users u ON u.id = cv.user_id
          JOIN (SELECT charger_id, max(created_at) AS latest FROM charger_verifications GROUP BY charger_id) l
            ON l.charger_id = cv.charger_id
         GROUP BY cv.charger_id) v)",
                       verification_level_sql("v.accepted_recent"), accepted, interval_sql(verification_window));
}

}  // namespace spotctl::rulebook
