#include "commands/prune/policies.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::prune {

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
