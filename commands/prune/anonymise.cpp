// The deleted_accounts policy. An account is never deleted (its coin ledger, payments,
// reservations, reviews and audit entries point at it and must stay consistent): its personal
// data is erased by the same mechanism `spotctl user erase` uses (commands/user/erase), and one
// audit row records it, in the same transaction. The ledger, payments' amounts and states and
// users.coin_balance are not touched.
#include <fmt/format.h>

#include "commands/prune/batches.hpp"
#include "commands/user/erase.hpp"
#include "core/audit.hpp"

namespace spotctl::prune {
namespace {

// Accounts per transaction: each takes a few statements, and their rows stay locked until commit.
constexpr long accounts_per_batch = 100;

}  // namespace

Batch anonymise_batch(pg::Transaction& tx, const Policy& policy, int days, const std::string& last, const std::string& cutoff,
                      long limit) {
    limit = std::min(limit, accounts_per_batch);
    auto due = tx.exec(fmt::format(R"(SELECT id::text AS id, {key}::text AS k
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
        user::Erased erased = user::erase_personal_data(tx, id);
        audit::record(tx, {std::nullopt, "", "prune.anonymise", "user", id, user::audit_before(erased), user::audit_after(erased),
                           fmt::format("retention: account deleted more than {} days ago (spotctl prune)", days)});
        b.changed += erased.account;
        b.last_key = row.str("k");
    }
    return b;
}

}  // namespace spotctl::prune
