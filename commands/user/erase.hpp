#pragma once
// Erasing a person's personal data: one mechanism for `spotctl user erase` (an erasure request)
// and for `spotctl prune`'s deleted_accounts policy (retention). The account row stays, with
// status 'deleted' and its personal fields NULL, because the coin ledger, payments,
// reservations, reviews and audit entries point at it; the ledger, users.coin_balance and the
// payments' amounts and states are not touched, so the balance still equals the ledger.
#include <cstdint>
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::user {

struct Erased {
    std::string old_status;                // the account's status before
    std::vector<std::string> fields_set;   // personal fields that held a value (names only, never values)
    std::int64_t sessions = 0;             // deleted
    std::vector<std::string> session_token_hashes;  // of the deleted sessions: their cache keys go after the commit
    std::int64_t notifications = 0;        // deleted
    std::int64_t profile_changes = 0;      // deleted
    std::int64_t risk_profile = 0;         // deleted
    std::int64_t login_attempts = 0;       // unlinked (user and typed e-mail cleared)
    std::int64_t payment_ips = 0;          // payments whose client IP was cleared
    std::int64_t verification_locations = 0;  // charger verifications whose position was cleared
    std::int64_t account = 0;              // 1 when the account row was anonymised
};

// In `tx`: marks account `user_id` (a UUID) deleted and erases its personal data (e-mail, name,
// phone, password hash; sessions, notifications, profile-change requests and risk profile are
// deleted; login attempts lose the link and the typed e-mail; payments their client IP; charger
// verifications the position the person stood at). Writes no audit row: the caller does, with
// audit_before()/audit_after(). Error(Exit::data) when there is no such account.
Erased erase_personal_data(pg::Transaction& tx, const std::string& user_id);

// The audit row's before and after (JSON text): which fields held a value and what was removed,
// never the values themselves, since the audit log must not keep what was erased.
std::string audit_before(const Erased& erased);
std::string audit_after(const Erased& erased);

}  // namespace spotctl::user
