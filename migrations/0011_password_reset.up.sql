-- An account whose owner must choose a new password at the next login: set by
-- `spotctl fraud review ID confirm --action secure-account` after an account
-- takeover, so that the victim keeps the account (sessions revoked) instead of
-- being suspended. The servers read it at login; a completed reset clears it.
-- A constant default: no table rewrite, only a brief ACCESS EXCLUSIVE lock,
-- which gives up rather than queue every query on users behind it.
SET LOCAL lock_timeout = '5s';
ALTER TABLE users ADD COLUMN password_reset_required boolean NOT NULL DEFAULT false;
