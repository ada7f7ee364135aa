0001_extensions_and_users.up.sql
-- Extensions, shared trigger functions, users and their login sessions.
--
-- gen_random_uuid() is built into PostgreSQL 13+, so pgcrypto is not needed.
-- citext gives case-insensitive e-mail uniqueness and lookups without every
-- query having to remember lower(). btree_gist lets the reservations
-- exclusion constraint (0004) mix uuid equality with range overlap.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Keeps updated_at honest even for ad-hoc UPDATEs run from psql or spotctl.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- A statement that sets updated_at itself (a data load, a restore) keeps its value.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE row trigger: sets NEW.updated_at to now() unless the statement set it.';

-- One function for every append-only table (coin_transactions, audit_log).
-- It serves both the row-level UPDATE/DELETE triggers and the statement-level
-- TRUNCATE trigger, so it must not touch OLD/NEW.
CREATE FUNCTION refuse_append_only_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              TABLE = TG_TABLE_NAME,
              HINT = 'Insert a compensating row instead of changing history.';
END;
$$;

COMMENT ON FUNCTION refuse_append_only_change() IS
    'Trigger function that raises restrict_violation (23001) for UPDATE/DELETE/TRUNCATE on append-only tables.';

CREATE TABLE users (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- NULL only for guests and anonymised (deleted) accounts.
    email           citext,
    name            text,
    phone           text,
    -- Server-side credential hash (argon2id/bcrypt). NULL for guests and
    -- OAuth-only accounts. Never the password itself.
    password_hash   text,
    role            text        NOT NULL DEFAULT 'user',
    status          text        NOT NULL DEFAULT 'active',
    suspended_until timestamptz,
    is_guest        boolean     NOT NULL DEFAULT false,
    -- Cache of SUM(coin_transactions.amount); only the ledger trigger
    -- (0003) may change it.
    coin_balance    bigint      NOT NULL DEFAULT 0,
    trust_score     numeric(5,2) NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_check CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    CONSTRAINT users_email_required_check CHECK (email IS NOT NULL OR is_guest OR status = 'deleted'),
    -- E.164, so SMS providers and duplicate checks see one spelling per number.
    CONSTRAINT users_phone_check CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$'),
    CONSTRAINT users_role_check CHECK (role IN ('user', 'operator', 'moderator', 'admin')),
    CONSTRAINT users_status_check CHECK (status IN ('active', 'suspended', 'banned', 'deleted')),
    -- A suspension without an end date is a ban; say so explicitly.
    CONSTRAINT users_suspended_until_check CHECK (status <> 'suspended' OR suspended_until IS NOT NULL),
    -- Guests are throw-away identities; never give them privileges.
    CONSTRAINT users_guest_role_check CHECK (NOT is_guest OR role = 'user'),
    CONSTRAINT users_coin_balance_check CHECK (coin_balance >= 0),
    CONSTRAINT users_trust_score_check CHECK (trust_score BETWEEN 0 AND 100)
);

COMMENT ON TABLE users IS
    'Accounts. Never hard-deleted: set status = ''deleted'' and anonymise PII (email/name/phone/password_hash to NULL).';
COMMENT ON COLUMN users.coin_balance IS
    'Always equals SUM(coin_transactions.amount) for the user; maintained by trigger coin_transactions_apply (0003).';
COMMENT ON COLUMN users.trust_score IS 'Reputation 0..100 derived from contribution history.';

-- Sweeper that lifts expired suspensions only needs the suspended rows.
CREATE INDEX idx_users_suspended_until ON users (suspended_until) WHERE status = 'suspended';

CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_sessions (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL,
    -- Lower-case hex SHA-256 of the bearer token. A leaked table must not
    -- be usable to log in, so the raw token is never stored.
    token_hash  text        NOT NULL,
    ip          inet,
    user_agent  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    CONSTRAINT user_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT user_sessions_token_hash_key UNIQUE (token_hash),
    CONSTRAINT user_sessions_token_hash_check CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT user_sessions_expires_at_check CHECK (expires_at > created_at),
    -- Sessions are disposable; they must not keep a (guest) user alive.
    CONSTRAINT user_sessions_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE
);

COMMENT ON TABLE user_sessions IS
    'Login sessions. Valid when revoked_at IS NULL AND expires_at > now().';

CREATE INDEX idx_user_sessions_user_id ON user_sessions (user_id);
CREATE INDEX idx_user_sessions_expires_at ON user_sessions (expires_at);
