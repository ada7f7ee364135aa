#pragma once
// `spotctl user sessions`: an account's login sessions, and revoking them. A revocation sets
// user_sessions.revoked_at in PostgreSQL (with its audit row) and then removes the revoked
// sessions' cached keys (rulebook::session_key, "session:{token_hash}"), so a server cannot keep
// accepting a revoked token from its cache.
#include <string>
#include <vector>

#include "core/context.hpp"
#include "core/pg.hpp"

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

// The revocation itself, in the caller's transaction (its audit row is the caller's): the
// account's active sessions, or only `session`. The token hashes are for drop_session_keys after
// the commit.
struct RevokedSessions {
    std::vector<std::string> ids, token_hashes;
};
RevokedSessions revoke_active_sessions(pg::Transaction& tx, const std::string& user_id, const pg::Value& session = std::nullopt);

}  // namespace spotctl::user
