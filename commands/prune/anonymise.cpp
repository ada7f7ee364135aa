// The deleted_accounts policy. An account is never deleted (its coin ledger, payments,
// reservations, reviews and audit entries point at it and must stay consistent): its personal
// fields are erased, what a deletion of the user would take along is deleted (sessions,
// notifications, profile-change requests, the risk profile; login attempts lose the link and
// the typed e-mail), and one audit row records it, in the same transaction. The ledger,
// payments and users.coin_balance are not touched.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/prune/batches.hpp"
#include "core/audit.hpp"

namespace spotctl::prune {
namespace {

constexpr const char* erase_sql = R"(WITH sessions AS (DELETE FROM user_sessions WHERE user_id = $1::uuid RETURNING 1),
     notifications AS (DELETE FROM notifications WHERE user_id = $1::uuid RETURNING 1),
     profile_changes AS (DELETE FROM profile_changes WHERE user_id = $1::uuid RETURNING 1),
     risk_profile AS (DELETE FROM user_risk_profiles WHERE user_id = $1::uuid RETURNING 1),
     login_attempts AS (UPDATE login_attempts SET user_id = NULL, email = NULL WHERE user_id = $1::uuid RETURNING 1),
     account AS (UPDATE users SET email = NULL, name = NULL, phone = NULL, password_hash = NULL
                  WHERE id = $1::uuid AND status = 'deleted' RETURNING 1)
SELECT (SELECT count(*) FROM sessions) AS sessions,
       (SELECT count(*) FROM notifications) AS notifications,
       (SELECT count(*) FROM profile_changes) AS profile_changes,
       (SELECT count(*) FROM risk_profile) AS risk_profile,
       (SELECT count(*) FROM login_attempts) AS login_attempts,
       (SELECT count(*) FROM account) AS account)";

const char* const personal_fields[] = {"email", "name", "phone", "password_hash"};

// Accounts per transaction: each takes two statements, and their rows stay locked until commit.
constexpr long accounts_per_batch = 100;

}  // namespace

Batch anonymise_batch(pg::Transaction& tx, const Policy& policy, int days, const std::string& last, const std::string& cutoff,
                      long limit) {
    limit = std::min(limit, accounts_per_batch);
    auto due = tx.exec(fmt::format(R"(SELECT id::text AS id, {key}::text AS k,
       email IS NOT NULL AS email, name IS NOT NULL AS name, phone IS NOT NULL AS phone,
       password_hash IS NOT NULL AS password_hash
  FROM {table}
 WHERE {key} >= $1::timestamptz AND {key} < $2::timestamptz AND {cond}
 ORDER BY {key} LIMIT $3
 FOR UPDATE SKIP LOCKED)",
                                   fmt::arg("key", policy.key), fmt::arg("table", policy.table), fmt::arg("cond", policy.condition)),
                       pg::params(last, cutoff, limit));
    Batch b;
    b.full = static_cast<long>(due.size()) == limit;
    for (auto row : due) {
        std::string id = row.str("id");
        auto result = tx.exec(erase_sql, pg::params(id));
        auto erased = result[0];
        nlohmann::json fields = nlohmann::json::array();
        for (const char* f : personal_fields)
            if (row.boolean(f)) fields.push_back(f);
        nlohmann::json after = {{"email", nullptr}, {"name", nullptr}, {"phone", nullptr}, {"password_hash", nullptr}};
        for (const char* c : {"sessions", "notifications", "profile_changes", "risk_profile"})
            after[fmt::format("{}_deleted", c)] = erased.integer(c);
        after["login_attempts_unlinked"] = erased.integer("login_attempts");
        // Which fields held a value, never the values: the audit log must not keep what was erased.
        nlohmann::json before = {{"status", "deleted"}, {"fields_set", fields}};
        audit::record(tx, {std::nullopt, "", "prune.anonymise", "user", id, before.dump(), after.dump(),
                           fmt::format("retention: account deleted more than {} days ago (spotctl prune)", days)});
        b.changed += erased.integer("account");
        b.last_key = row.str("k");
    }
    return b;
}

}  // namespace spotctl::prune
