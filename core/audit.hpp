#pragma once
// The audit trail: every mutating admin action writes one audit_log row, in the same
// transaction as the change itself, so the row exists exactly when the change does.
#include <optional>
#include <string>
#include <string_view>

#include "core/pg.hpp"

namespace spotctl::audit {

struct Entry {
    std::optional<std::string> actor_id;  // NULL for system jobs (prune, scheduled work)
    std::string actor_email;              // a snapshot, readable after the account is anonymised
    std::string action;                   // dotted verb: "user.suspend", "moderation.approve", "prune.anonymise"
    std::string subject_type;
    std::string subject_id;
    std::optional<std::string> before;    // JSON text
    std::optional<std::string> after;     // JSON text
    std::string reason;
};

// Inserts the row; client host and spotctl version are filled in here. Returns its id.
long long record(pg::Transaction& tx, const Entry& entry);

// Set-based form for changes made by one statement to many rows: one audit row per row of
// `select_sql`, whose columns are, in this order: actor_id (uuid), actor_email, action,
// subject_type, subject_id, before (jsonb), after (jsonb), reason. `params` are its $1...$n;
// client host and spotctl version are added here. Returns how many rows were written.
std::size_t record_rows(pg::Transaction& tx, std::string_view select_sql, pg::Params params);

// This machine's name, as recorded in client_host.
std::string client_host();

}  // namespace spotctl::audit
