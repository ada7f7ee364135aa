-- Append-only record of privileged actions (spotctl and staff tooling).

CREATE TABLE audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    -- NULL for system jobs. The FK is RESTRICT because a SET NULL would be
    -- an UPDATE, which this table refuses.
    actor_id        uuid,
    -- Snapshot of who acted, readable even after the account is anonymised.
    actor_email     text,
    -- Dotted verb, e.g. 'user.suspend', 'coins.adjust', 'charger.approve'.
    action          text        NOT NULL,
    subject_type    text,
    subject_id      text,
    before          jsonb,
    after           jsonb,
    reason          text,
    at              timestamptz NOT NULL DEFAULT now(),
    client_host     text,
    spotctl_version text,
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_action_check CHECK (btrim(action) <> ''),
    CONSTRAINT audit_log_subject_check CHECK (subject_id IS NULL OR subject_type IS NOT NULL),
    CONSTRAINT audit_log_actor_id_fkey FOREIGN KEY (actor_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE audit_log IS
    'Append-only audit trail. UPDATE, DELETE and TRUNCATE are refused by triggers audit_log_append_only and audit_log_no_truncate.';

CREATE INDEX idx_audit_log_at ON audit_log (at);
CREATE INDEX idx_audit_log_actor_id_at ON audit_log (actor_id, at);
CREATE INDEX idx_audit_log_subject_at ON audit_log (subject_type, subject_id, at);

-- Triggers rather than REVOKEs: the application role usually owns the table
-- and an owner can always grant itself UPDATE/DELETE again, while triggers
-- also bind owners and superusers (unless deliberately disabled).
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
