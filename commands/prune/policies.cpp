#include "commands/prune/policies.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::prune {

namespace {

// A guest account goes only when nothing else points at it: the rows of the RESTRICT and NO ACTION
// foreign keys to users (a ledger, a payment, a contribution, a report, an audit entry) must stay
// consistent, and a moderation item or fraud alert about it keeps it too. Its sessions,
// notifications, profile changes and risk profile go with it (ON DELETE CASCADE).
constexpr std::string_view guest_condition = R"(is_guest
         AND NOT EXISTS (SELECT 1 FROM coin_transactions r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM chargers r WHERE r.added_by = users.id)
         AND NOT EXISTS (SELECT 1 FROM charger_verifications r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM charger_photos r WHERE r.uploader_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM charger_reviews r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM parking_lots r WHERE r.operator_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM login_attempts r WHERE r.user_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM moderation_items r
                          WHERE users.id IN (r.reporter_id, r.claimed_by, r.decided_by)
                             OR (r.subject_type = 'user' AND r.subject_id = users.id))
         AND NOT EXISTS (SELECT 1 FROM fraud_alerts r
                          WHERE r.reviewer_id = users.id OR (r.subject_type = 'user' AND r.subject_id = users.id::text))
         AND NOT EXISTS (SELECT 1 FROM ip_blacklist r WHERE r.created_by = users.id)
         AND NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.actor_id = users.id)
         AND NOT EXISTS (SELECT 1 FROM role_grants r WHERE users.id IN (r.user_id, r.granted_by)))";

}  // namespace

const std::vector<Policy>& policies() {
    // Every key column has an index that serves `key >= $last AND key < $cutoff ORDER BY key`
    // (idx_user_sessions_expires_at, idx_login_attempts_created_at, idx_notifications_read_at,
    // idx_reservations_hold_expires_at), except the two small tables, charger_photos and users.
    static const std::vector<Policy> list = {
        {"sessions", "user_sessions", Action::remove, 0, "expires_at", "", "sessions expired more than {} days ago"},
        {"login_attempts", "login_attempts", Action::remove, 90, "created_at", "", "login attempts older than {} days"},
        {"notifications", "notifications", Action::remove, 30, "read_at", "", "notifications read more than {} days ago"},
        {"reservations", "reservations", Action::expire, 0, "hold_expires_at", "status = 'pending'",
         "pending reservations whose hold ended more than {} days ago (set to expired)"},
        {"photos", "charger_photos", Action::remove, 30, "reviewed_at", "status = 'rejected'",
         "charger photos rejected more than {} days ago"},
        {"deleted_accounts", "users", Action::anonymise, 30, "updated_at",
         "status = 'deleted' AND (email IS NOT NULL OR name IS NOT NULL OR phone IS NOT NULL OR password_hash IS NOT NULL)",
         "accounts deleted more than {} days ago (anonymised)"},
        // Idle: since the last login, or since creation for a guest that never logged in.
        {"guest_accounts", "users", Action::remove, 30, "coalesce(last_login_at, created_at)", guest_condition,
         "guest accounts idle for more than {} days, with nothing pointing at them (deleted)"},
    };
    return list;
}

const Policy& find_policy(std::string_view name) {
    std::string names;
    for (const auto& p : policies()) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + std::string(p.name);
    }
    throw Error(Exit::usage, fmt::format("unknown retention policy '{}'", name), fmt::format("the policies are: {}", names));
}

std::string_view action_name(Action action, bool dry_run) {
    switch (action) {
        case Action::remove: return dry_run ? "would delete" : "deleted";
        case Action::expire: return dry_run ? "would expire" : "expired";
        case Action::anonymise: return dry_run ? "would anonymise" : "anonymised";
    }
    return "";
}

}  // namespace spotctl::prune
