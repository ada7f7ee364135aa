// Data the platform derives or must keep consistent: rewards, verification levels, trust,
// suspensions, claims, and the polymorphic references no foreign key protects.
#include <fmt/format.h>

#include "commands/doctor/checks.hpp"
#include "commands/doctor/data_sql.hpp"

namespace spotctl::doctor {
namespace {

// A polymorphic subject: rows of `table` whose `type_column` is one of `types` must name an
// existing row of the mapped table through `id_column`.
struct SubjectTable {
    const char* type;
    const char* table;
};

// `open_only`: a condition on x that limits the check to rows still being worked on (a decided
// item about a since-purged subject is history, not a fault).
std::string orphans_sql(const char* table, const char* type_column, const char* id_column, const std::vector<SubjectTable>& map,
                        const char* open_only = "true") {
    std::string joins, missing, types;
    for (std::size_t i = 0; i < map.size(); ++i) {
        joins += fmt::format("\n  LEFT JOIN {0} s{1} ON x.{2} = '{3}' AND s{1}.id = {4}", map[i].table, i, type_column, map[i].type,
                             data::uuid_or_null(fmt::format("x.{}::text", id_column)));
        missing += fmt::format(" AND s{}.id IS NULL", i);
        types += fmt::format("{}'{}'", types.empty() ? "" : ", ", map[i].type);
    }
    return fmt::format("SELECT x.id::text AS id FROM {} x{}\n WHERE x.{} IN ({}) AND {}{}", table, joins, type_column, types, open_only,
                       missing);
}

}  // namespace

std::vector<Check> data_checks() {
    const char* no_repair_subject =
        "whether the payment stands (the subject was purged after it was paid) or is taken back with "
        "'spotctl fraud review' or a reversal";
    return {
        sql_check("reward_orphans", "rewards", "reward rows (not reversed) whose subject row does not exist", "", no_repair_subject,
                  data::reward_orphans_sql()),
        sql_check("reward_duplicates", "rewards", "reward rows paying a subject that an earlier row already paid for the same action",
                  "appends an audited `reversal` of each later payment (the first one stands); a reversal the user's balance "
                  "cannot cover is left for a person",
                  "", data::reward_duplicates_sql()),
        sql_check("verification_levels", "derived",
                  "chargers whose verification_level is not the rulebook's level for their accepted recent verifications",
                  "recomputes verification_level from charger_verifications", "", data::verification_level_sql()),
        sql_check("trust_scores", "derived", "users whose trust_score is not the rulebook's score for their counted contributions",
                  "recomputes trust_score from the ledger's unreversed rewards", "", data::trust_score_sql()),
        sql_check("expired_suspensions", "accounts", "accounts still suspended after their suspended_until has passed",
                  "sets them active and clears suspended_until, as 'spotctl user restore' would", "", data::expired_suspensions_sql()),
        sql_check("stale_claims", "moderation", "moderation items claimed by a lease that ran out more than one lease length ago",
                  "releases them to the open queue (claimed_by and claimed_until cleared)", "", data::stale_claims_sql()),
        sql_check("moderation_subjects", "references",
                  "undecided moderation items (open, claimed, escalated) whose subject_id names no row of its subject_type's table", "",
                  "whether to decide the item (reject it: its subject is gone) or restore the subject",
                  orphans_sql("moderation_items", "subject_type", "subject_id",
                              {{"charger", "chargers"}, {"photo", "charger_photos"}, {"review", "charger_reviews"},
                               {"profile_change", "profile_changes"}, {"user", "users"}},
                              "x.status IN ('open', 'claimed', 'escalated')")),
        sql_check("fraud_alert_subjects", "references",
                  "open fraud alerts about a user, payment or charger whose subject_id names no such row (ip, card and e-mail "
                  "subjects are values, not references)",
                  "", "whether to dismiss the alert ('spotctl fraud review ID --action dismiss')",
                  orphans_sql("fraud_alerts", "subject_type", "subject_id",
                              {{"user", "users"}, {"payment", "payments"}, {"charger", "chargers"}}, "x.status = 'open'")),
        sql_check("audit_subjects", "references",
                  "audit rows about a user, charger, moderation item or IP block that names no such row (rows the platform never "
                  "hard-deletes)",
                  "", "nothing can be changed in the append-only audit log: find out who deleted the subject, and record it",
                  orphans_sql("audit_log", "subject_type", "subject_id",
                              {{"user", "users"}, {"charger", "chargers"}, {"moderation_item", "moderation_items"},
                               {"ip_blacklist", "ip_blacklist"}})),
    };
}

}  // namespace spotctl::doctor
