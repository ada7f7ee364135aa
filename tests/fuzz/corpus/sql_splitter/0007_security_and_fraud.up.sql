-- Security telemetry and fraud handling: login attempts, fraud alerts, the
-- IP blacklist and per-user risk profiles.

CREATE TABLE login_attempts (
    id         bigint           GENERATED ALWAYS AS IDENTITY,
    -- NULL when the e-mail did not match an account.
    user_id    uuid,
    -- What was typed, kept even when no account matched (credential stuffing).
    email      citext,
    ip         inet             NOT NULL,
    success    boolean          NOT NULL,
    -- ISO 3166-1 alpha-2 from IP geolocation.
    country    text,
    latitude   double precision,
    longitude  double precision,
    user_agent text,
    created_at timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT login_attempts_pkey PRIMARY KEY (id),
    CONSTRAINT login_attempts_country_check CHECK (country ~ '^[A-Z]{2}$'),
    CONSTRAINT login_attempts_latitude_check CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT login_attempts_longitude_check CHECK (longitude BETWEEN -180 AND 180),
    CONSTRAINT login_attempts_location_check CHECK ((latitude IS NULL) = (longitude IS NULL)),
    -- Telemetry must not block removing a (guest) user, nor be lost with it.
    CONSTRAINT login_attempts_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE SET NULL
);

COMMENT ON TABLE login_attempts IS 'Every login attempt, successful or not. High volume; prune by created_at.';

CREATE INDEX idx_login_attempts_user_id_created_at ON login_attempts (user_id, created_at);
CREATE INDEX idx_login_attempts_ip_created_at ON login_attempts (ip, created_at);
CREATE INDEX idx_login_attempts_created_at ON login_attempts (created_at);

CREATE TABLE fraud_alerts (
    id               bigint       GENERATED ALWAYS AS IDENTITY,
    -- Name of the detection rule, e.g. 'login_bruteforce_ip', 'card_shared_accounts'.
    rule             text         NOT NULL,
    subject_type     text         NOT NULL,
    -- Text so it can hold a uuid, an IP/CIDR, a card fingerprint or an e-mail.
    subject_id       text         NOT NULL,
    window_start     timestamptz  NOT NULL,
    window_end       timestamptz  NOT NULL,
    score            numeric(5,4) NOT NULL,
    evidence         jsonb        NOT NULL DEFAULT '{}',
    status           text         NOT NULL DEFAULT 'open',
    reviewer_id      uuid,
    reviewed_at      timestamptz,
    note             text,
    -- Rescans do not re-open or re-notify before this moment.
    suppressed_until timestamptz,
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT fraud_alerts_pkey PRIMARY KEY (id),
    -- Scans are re-runnable: the same finding upserts instead of duplicating
    -- (INSERT ... ON CONFLICT ON CONSTRAINT fraud_alerts_rule_subject_window_key DO UPDATE).
    CONSTRAINT fraud_alerts_rule_subject_window_key UNIQUE (rule, subject_type, subject_id, window_start),
    CONSTRAINT fraud_alerts_rule_check CHECK (rule ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT fraud_alerts_subject_type_check CHECK (subject_type IN (
        'user', 'ip', 'card', 'email', 'payment', 'charger')),
    CONSTRAINT fraud_alerts_window_check CHECK (window_end > window_start),
    CONSTRAINT fraud_alerts_score_check CHECK (score BETWEEN 0 AND 1),
    CONSTRAINT fraud_alerts_evidence_check CHECK (jsonb_typeof(evidence) = 'object'),
    CONSTRAINT fraud_alerts_status_check CHECK (status IN ('open', 'confirmed', 'dismissed')),
    CONSTRAINT fraud_alerts_review_check CHECK (
        status = 'open' OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL)),
    CONSTRAINT fraud_alerts_reviewer_id_fkey FOREIGN KEY (reviewer_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE fraud_alerts IS
    'Findings of fraud scan rules, one per (rule, subject_type, subject_id, window_start), triaged by staff.';

CREATE INDEX idx_fraud_alerts_open_created_at ON fraud_alerts (created_at) WHERE status = 'open';
CREATE INDEX idx_fraud_alerts_subject ON fraud_alerts (subject_type, subject_id);

CREATE TRIGGER fraud_alerts_set_updated_at
    BEFORE UPDATE ON fraud_alerts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE ip_blacklist (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- A single address is a /32 (or /128) network.
    cidr       cidr        NOT NULL,
    reason     text        NOT NULL,
    -- NULL when an automatic rule added the entry.
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- NULL means permanent. Expired rows are kept as history.
    expires_at timestamptz,
    CONSTRAINT ip_blacklist_pkey PRIMARY KEY (id),
    CONSTRAINT ip_blacklist_reason_check CHECK (btrim(reason) <> ''),
    CONSTRAINT ip_blacklist_expires_at_check CHECK (expires_at IS NULL OR expires_at > created_at),
    CONSTRAINT ip_blacklist_created_by_fkey FOREIGN KEY (created_by)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE ip_blacklist IS
    'Blocked networks. Active when expires_at IS NULL OR expires_at > now(); look up with cidr >>= $ip::inet.';

-- inet_ops makes "which entry contains this address" (>>=) an index scan.
CREATE INDEX idx_ip_blacklist_cidr ON ip_blacklist USING gist (cidr inet_ops);

CREATE TABLE user_risk_profiles (
    user_id    uuid         NOT NULL,
    score      numeric(5,4) NOT NULL DEFAULT 0,
    -- Contributions to the score by factor name, e.g. {"failed_logins": 0.2}.
    factors    jsonb        NOT NULL DEFAULT '{}',
    updated_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT user_risk_profiles_pkey PRIMARY KEY (user_id),
    CONSTRAINT user_risk_profiles_score_check CHECK (score BETWEEN 0 AND 1),
    CONSTRAINT user_risk_profiles_factors_check CHECK (jsonb_typeof(factors) = 'object'),
    -- Derived data; it can always be recomputed.
    CONSTRAINT user_risk_profiles_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE
);

COMMENT ON TABLE user_risk_profiles IS 'Latest computed fraud risk per user (0 = no risk, 1 = certain fraud).';

CREATE INDEX idx_user_risk_profiles_score ON user_risk_profiles (score);

CREATE TRIGGER user_risk_profiles_set_updated_at
    BEFORE UPDATE ON user_risk_profiles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
