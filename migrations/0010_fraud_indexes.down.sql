-- spotctl:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS idx_payments_ip_created_at;
