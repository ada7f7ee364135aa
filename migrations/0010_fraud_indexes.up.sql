-- spotctl:no-transaction
-- Built CONCURRENTLY so it can be added to a busy payments table without
-- blocking writes, which is why this file runs outside a transaction; a
-- single statement, as in 0009. A failed build leaves an INVALID index: run
-- the down migration, then this again.
--
-- Serves `spotctl fraud scan` (blacklisted_ip): payments made from inside a
-- blacklisted range are found by an index range scan per range (the rule
-- turns each CIDR into its first and last address) instead of a scan of
-- every payment (bench/fraud_scan.sh in bench/RESULTS.md has the figures).
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_payments_ip_created_at
    ON payments (ip, created_at)
    WHERE ip IS NOT NULL;
