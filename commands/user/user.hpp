#pragma once
// `spotctl user`: one account, for support staff. show reads; suspend, ban and restore go through
// the shared account mechanism (account_status.hpp); export answers a data access request with
// every row the platform holds about the person; erase answers an erasure request through the
// mechanism prune's anonymisation uses (erase.hpp). Every action is the actor's and is audited.
#include <optional>
#include <string>

#include "commands/user/account_status.hpp"
#include "core/context.hpp"

namespace spotctl::user {

// Profile, status (and whether a suspension is in force or has lapsed), balance (and the ledger
// sum), recent sessions and logins, risk score, open fraud alerts,
// moderation history. `ref` is an id or an e-mail.
int show(Context& ctx, const std::string& ref);

struct SanctionOptions {
    std::string actor;
    std::string ref;  // id or e-mail
    Sanction sanction = Sanction::suspend;
    std::optional<std::string> until;  // suspend: a time, or a duration from now ("7d")
    std::string reason;
};
int sanction(Context& ctx, const SanctionOptions& options);

struct ExportOptions {
    std::string actor;
    std::string ref;
    std::string file;  // empty: stdout
};
int export_data(Context& ctx, const ExportOptions& options);

// The JSON document export writes: {"user_id", "exported_at", "tables": {table: [rows]}}, built in
// `tx`. Every table with a foreign key to users contributes the rows that point at the person,
// plus rows that name the person as their subject (moderation items, fraud alerts, audit rows).
std::string export_document(pg::Transaction& tx, const std::string& user_id);

struct EraseOptions {
    std::string actor;
    std::string ref;
    std::string reason = "erasure request";
    bool yes = false;
};
int erase(Context& ctx, const EraseOptions& options);

}  // namespace spotctl::user
