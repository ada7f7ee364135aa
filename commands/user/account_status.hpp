#pragma once
// Suspending, banning and restoring an account: one mechanism for `spotctl user` and for
// `spotctl fraud review ... confirm --action suspend|ban`. The change, the revocation of the
// account's sessions and its audit row share the caller's transaction; the account's Redis
// keys are dropped after the commit (a cache is never ahead of the database).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/pg.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::user {

enum class Sanction { suspend, ban, restore };
std::string_view sanction_name(Sanction s);  // "suspend", "ban", "restore"
// Who may apply it: suspend and restore need a moderator, ban an admin.
rulebook::Level sanction_level(Sanction s);

struct StatusChange {
    std::string user_id;               // a UUID (see find_user)
    Sanction sanction = Sanction::suspend;
    std::optional<std::string> until;  // suspend: when it ends (core/time_spec.hpp, a duration ahead)
    std::string reason;                // required
    std::string action;                // audit action; default "user.<sanction>"
    // false: write no audit row; the caller records the change (before/after of StatusChanged)
    // in its own row, such as a moderation decision whose one row covers its subject too.
    bool write_audit = true;
};

struct StatusChanged {
    std::string user_id;
    std::string email;
    std::string old_status;
    std::string new_status;
    std::optional<std::string> suspended_until;  // ISO 8601, UTC
    std::int64_t sessions_revoked = 0;
    std::int64_t audit_id = 0;                   // 0 when write_audit was false
    std::string before, after;                   // the audit row's before and after (JSON text)
};

// --until (or `flag`) as a timestamptz, in the one time syntax (core/time_spec): a duration (7d)
// counts from now, a date means through that day, a timestamp is that instant; Error(Exit::usage)
// naming `flag` otherwise. `user suspend`, `fraud review ... confirm` (--until, --expires) and
// `fraud ip block --expires` take the same forms.
std::string resolve_until(pg::Transaction& tx, const std::string& until, const std::string& flag = "--until");

// The id of the account `ref` names (an e-mail, a UUID or a unique prefix of one), locked FOR
// UPDATE when `lock`. Error(Exit::data) when there is none (core/id_prefix.hpp for prefixes).
std::string user_id_of(pg::Transaction& tx, std::string_view ref, bool lock);
// user_id_of, locked.
std::string find_user(pg::Transaction& tx, std::string_view ref);

// Applies `change` in `tx` on behalf of `actor` (who must already be authorised for the
// sanction's level). Refuses, with Error(Exit::no_perm), a change to one's own account or (for a
// moderator) to another staff account; with Error(Exit::data), a deleted account, a suspension
// whose end is not in the future, and a restore of an active account.
StatusChanged change_status(pg::Transaction& tx, const rulebook::Actor& actor, const StatusChange& change);

// After the commit: removes the account's cache keys through the cache registry, and the cached
// sessions (session:{token_hash}) of every session row the account has (revoked ones included:
// a key outlives its revocation otherwise); returns how many keys were removed.
// Error(Exit::temp_fail) when Redis cannot be reached, saying the database change stands and how
// to finish the job.
std::uint64_t drop_cache_keys(Context& ctx, const std::string& user_id);
// The same, for an account whose session rows are gone (erase): their token hashes are given.
std::uint64_t drop_cache_keys(Context& ctx, const std::string& user_id, const std::vector<std::string>& session_token_hashes);
// Only these cached sessions (a revocation of some sessions leaves the account's other keys).
std::uint64_t drop_session_keys(Context& ctx, const std::string& user_id, const std::vector<std::string>& session_token_hashes);

}  // namespace spotctl::user
