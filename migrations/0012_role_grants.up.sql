-- Who gave each account its role, when and why: users.role says only what the role is now,
-- and an access review needs the grant behind it. `spotctl staff grant|revoke` writes one row
-- per change in the transaction that changes users.role (with its audit_log row). Roles given
-- before this table existed (seeds, SQL by hand) have no row; `staff list` shows them as unknown.

CREATE TABLE role_grants (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     uuid        NOT NULL,
    old_role    text        NOT NULL,
    new_role    text        NOT NULL,
    -- The admin who made the change; RESTRICT, as in audit_log (a SET NULL would be an UPDATE).
    granted_by  uuid        NOT NULL,
    reason      text        NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT role_grants_pkey PRIMARY KEY (id),
    CONSTRAINT role_grants_old_role_check CHECK (old_role IN ('user', 'operator', 'moderator', 'admin')),
    CONSTRAINT role_grants_new_role_check CHECK (new_role IN ('user', 'operator', 'moderator', 'admin')),
    CONSTRAINT role_grants_change_check CHECK (old_role <> new_role),
    CONSTRAINT role_grants_reason_check CHECK (btrim(reason) <> ''),
    CONSTRAINT role_grants_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT role_grants_granted_by_fkey FOREIGN KEY (granted_by)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE role_grants IS
    'Append-only history of users.role changes made by spotctl staff grant|revoke; the latest row per user explains its current role.';

CREATE INDEX idx_role_grants_user_id_granted_at ON role_grants (user_id, granted_at);
CREATE INDEX idx_role_grants_granted_by ON role_grants (granted_by);

CREATE TRIGGER role_grants_append_only
    BEFORE UPDATE OR DELETE ON role_grants
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER role_grants_no_truncate
    BEFORE TRUNCATE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
