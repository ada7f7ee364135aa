0009_login_attempts_fraud_index.up.sql
-- spotctl:no-transaction
-- Built CONCURRENTLY so it can be added to a busy login_attempts without
-- blocking inserts, which is why this file runs outside a transaction.
-- Keep it to this single statement: several statements sent as one query
-- string form an implicit transaction, where CONCURRENTLY is refused.
-- If a build fails it leaves an INVALID index behind; drop it
-- (the down migration does) and run this again.
--
-- Serves the credential-stuffing scan: failed attempts per typed e-mail
-- within a time window, across all IPs.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_login_attempts_failed_email_created_at
    ON login_attempts (email, created_at)
    WHERE NOT success;
