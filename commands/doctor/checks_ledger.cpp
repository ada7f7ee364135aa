// The coin ledger: balance = ledger sum, the balance_after chain, no negative balances.
#include <fmt/format.h>

#include "commands/doctor/checks.hpp"
#include "commands/doctor/ledger_sql.hpp"

namespace spotctl::doctor {

std::vector<Check> ledger_checks() {
    const std::string reconcile =
        "appends one audited `adjustment` row per user for the difference (coin_balance minus ledger sum), "
        "keeping the balance the user has seen; the ledger rows themselves are never edited";
    return {
        sql_check("ledger_balance", "ledger", "users whose coin_balance is not the sum of their coin_transactions", reconcile, "",
                  ledger::balance_mismatch_sql),
        sql_check("ledger_chain", "ledger",
         "coin_transactions rows whose balance_after is not the running sum of the user's amounts (in id order)",
         reconcile + " (users whose balance matches their sum while the chain is broken are left for a person)",
         "where the balance equals the ledger sum but a row's balance_after does not: which row is wrong (the history "
         "cannot be edited; an adjustment of 0 is not allowed)",
                  fmt::format("SELECT id::text AS id FROM ({}) x WHERE checked AND balance_after <> running", ledger::running_sql)),
        sql_check("ledger_negative", "ledger",
         "users whose coin_balance, or the running sum or balance_after of a ledger row, is below zero",
         "", "whether the user keeps coins they spent without having them (an adjustment written off) or gives them back "
         "(a redeem or adjustment against later earnings): 'spotctl user show ID' shows the ledger",
                  fmt::format("SELECT DISTINCT user_id::text AS id FROM ({}) x WHERE checked AND (running < 0 OR balance_after < 0) "
                              "UNION SELECT id::text FROM users WHERE coin_balance < 0",
                              ledger::running_sql)),
    };
}

}  // namespace spotctl::doctor
