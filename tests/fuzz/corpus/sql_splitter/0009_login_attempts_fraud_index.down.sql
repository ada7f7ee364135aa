-- spotctl:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS idx_login_attempts_failed_email_created_at;
