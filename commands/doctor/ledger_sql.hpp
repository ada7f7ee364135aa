#pragma once
// The ledger's invariants as SQL, shared by the checks and the reconciliation repair.
//
// A reconciliation is an `adjustment` row that doctor appends when a user's coin_balance and the
// sum of their ledger disagree: its amount is the difference, its balance_after the balance the
// user has seen, and its metadata names it (reconciliation_key) and the rows it compensates.
// From that row on the ledger is whole again: balance_after equals the running sum of amounts.
// Rows before it are history that cannot be edited (the table is append-only), so the chain and
// negativity checks read each user's ledger from their latest reconciliation on.

namespace spotctl::doctor::ledger {

inline constexpr const char* reconciliation_key = "doctor_reconciliation";

// Every ledger row with its running sum in id order (the apply trigger makes id order the order
// of balances per user) and whether it lies at or after the user's latest reconciliation.
inline constexpr const char* running_sql = R"(
SELECT t.id, t.user_id, t.amount, t.balance_after,
       sum(t.amount) OVER (PARTITION BY t.user_id ORDER BY t.id) AS running,
       t.id >= coalesce(max(t.id) FILTER (WHERE t.action = 'adjustment' AND t.metadata ? 'doctor_reconciliation')
                        OVER (PARTITION BY t.user_id), 0) AS checked
  FROM coin_transactions t)";

// Users whose cached balance is not the sum of their ledger (users without rows sum to 0).
inline constexpr const char* balance_mismatch_sql = R"(
SELECT u.id::text AS id
  FROM users u
  LEFT JOIN (SELECT user_id, sum(amount) AS total FROM coin_transactions GROUP BY user_id) l ON l.user_id = u.id
 WHERE u.coin_balance <> coalesce(l.total, 0))";

}  // namespace spotctl::doctor::ledger
