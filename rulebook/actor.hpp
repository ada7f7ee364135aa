#pragma once
// Who performs a mutating admin action: a staff member named by e-mail (--as, SPOTCTL_ACTOR or
// the configuration's `actor`), looked up in the action's own transaction. Every moderation,
// account and fraud-review action starts here, and its audit row carries the actor.
#include <string>
#include <string_view>

#include "core/audit.hpp"
#include "core/pg.hpp"
#include "rulebook/roles.hpp"

namespace spotctl::rulebook {

struct Actor {
    std::string id;
    std::string email;
    std::string role;  // "moderator" or "admin"
};

// The active staff member with e-mail `email` and at least `level`, for `action` (named in the
// message, such as "moderate approve"). The row is locked FOR SHARE, so a demotion waits for the
// action to commit. Error(Exit::usage) when `email` is empty; Error(Exit::no_perm) when nobody
// has that e-mail, the account is not active, or its role is too low.
Actor require_actor(pg::Transaction& tx, std::string_view email, Level level, std::string_view action);

// The audit entry for `actor` doing `action` on a subject; before/after are left to the caller.
audit::Entry audit_entry(const Actor& actor, std::string action, std::string subject_type, std::string subject_id,
                         std::string reason);

}  // namespace spotctl::rulebook
