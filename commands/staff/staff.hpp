#pragma once
// `spotctl staff`: who holds a staff role (list), and changing it (grant, revoke; admins only).
// A change updates users.role, appends its role_grants row and writes its audit row in one
// transaction, then drops the account's cache keys (a server must not keep acting on a cached
// role). The last active admin can neither be demoted nor have the role revoked.
#include <string>

#include "core/context.hpp"

namespace spotctl::staff {

// Every moderator and admin (roster.hpp).
int list(Context& ctx);

struct RoleChangeOptions {
    std::string actor;
    std::string ref;   // the account: e-mail, id or a unique id prefix
    std::string role;  // grant: "moderator" or "admin"; revoke: empty (back to the plain role)
    std::string reason;
};
// Error(Exit::no_perm) unless the actor is an active admin; Error(Exit::data) for a guest, a
// grant to an account that is not active, a role it already has, a revoke of a non-staff account,
// and a change that would leave no other active admin.
int grant(Context& ctx, const RoleChangeOptions& options);
int revoke(Context& ctx, const RoleChangeOptions& options);

}  // namespace spotctl::staff
