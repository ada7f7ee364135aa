#pragma once
// `spotctl user sessions`: an account's login sessions, and revoking them. A revocation sets
// user_sessions.revoked_at in PostgreSQL (with its audit row) and then removes the revoked
// sessions' cached keys (rulebook::session_key, "session:{token_hash}"), so a server cannot keep
// accepting a revoked token from its cache.
#include <string>

#include "core/context.hpp"

namespace spotctl::user {

// Every session of the account `ref` (id or e-mail), newest first: id, state (active, expired,
// revoked), created, expires, revoked, ip, user agent. Never the token hash.
int list_sessions(Context& ctx, const std::string& ref);

struct RevokeSessionsOptions {
    std::string actor;
    std::string ref;      // the account: id or e-mail
    std::string session;  // one session's id ...
    bool all = false;     // ... or every active session
    std::string reason;
};
int revoke_sessions(Context& ctx, const RevokeSessionsOptions& options);

}  // namespace spotctl::user
