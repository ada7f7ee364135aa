#include "commands/moderate/tui_context.hpp"

namespace spotctl::moderate {
namespace {

// The user a subject belongs to: the uploader, author, the one who added the charger, the
// profile's owner, or the reported user.
constexpr const char* owner_sql = R"(SELECT CASE m.subject_type
         WHEN 'user' THEN m.subject_id
         WHEN 'charger' THEN (SELECT added_by FROM chargers WHERE id = m.subject_id)
         WHEN 'photo' THEN (SELECT uploader_id FROM charger_photos WHERE id = m.subject_id)
         WHEN 'review' THEN (SELECT user_id FROM charger_reviews WHERE id = m.subject_id)
         WHEN 'profile_change' THEN (SELECT user_id FROM profile_changes WHERE id = m.subject_id)
       END::text AS owner, m.reporter_id::text AS reporter
  FROM moderation_items m WHERE m.id = $1::uuid)";

// $1 the owner, $2 the item (left out of its own history).
constexpr const char* owner_record_sql = R"(WITH owned AS (
    SELECT 'user'::text AS t, id FROM users WHERE id = $1::uuid
    UNION ALL SELECT 'charger', id FROM chargers WHERE added_by = $1::uuid
    UNION ALL SELECT 'photo', id FROM charger_photos WHERE uploader_id = $1::uuid
    UNION ALL SELECT 'review', id FROM charger_reviews WHERE user_id = $1::uuid
    UNION ALL SELECT 'profile_change', id FROM profile_changes WHERE user_id = $1::uuid)
SELECT coalesce(u.email::text, '(no e-mail)') AS email, u.status,
       (SELECT score::text FROM user_risk_profiles WHERE user_id = u.id) AS risk,
       (SELECT count(*) FROM fraud_alerts WHERE subject_type = 'user' AND subject_id = u.id::text AND status = 'open') AS alerts,
       count(*) FILTER (WHERE m.status = 'approved') AS approved,
       count(*) FILTER (WHERE m.status = 'rejected') AS rejected,
       count(*) FILTER (WHERE m.status = 'escalated') AS escalated
  FROM users u
  LEFT JOIN owned o ON true
  LEFT JOIN moderation_items m ON m.subject_type = o.t AND m.subject_id = o.id AND m.id <> $2::uuid
 WHERE u.id = $1::uuid
 GROUP BY u.id)";

constexpr const char* reporter_record_sql = R"(SELECT count(*) FILTER (WHERE status = 'rejected') AS upheld,
       count(*) FILTER (WHERE status IN ('approved', 'rejected')) AS decided
  FROM moderation_items WHERE reporter_id = $1::uuid)";

}  // namespace

ItemContext item_context(pg::Connection& db, const std::string& item_id) {
    ItemContext c;
    auto who = db.exec(owner_sql, pg::params(item_id));
    if (who.empty()) return c;
    if (!who[0].is_null("owner")) {
        auto r = db.exec(owner_record_sql, pg::params(who[0].str("owner"), item_id));
        if (!r.empty()) {
            c.owner_email = r[0].str("email");
            c.owner_status = r[0].str("status");
            c.risk_score = r[0].str("risk");
            c.open_alerts = r[0].integer("alerts");
            c.owner_approved = r[0].integer("approved");
            c.owner_rejected = r[0].integer("rejected");
            c.owner_escalated = r[0].integer("escalated");
        }
    }
    if (!who[0].is_null("reporter")) {
        auto r = db.exec(reporter_record_sql, pg::params(who[0].str("reporter")));
        c.reports_upheld = r[0].integer("upheld");
        c.reports_decided = r[0].integer("decided");
    }
    return c;
}

}  // namespace spotctl::moderate
