-- Outgoing notifications and user-requested profile changes awaiting review.

CREATE TABLE notifications (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL,
    channel      text        NOT NULL,
    template     text        NOT NULL,
    payload      jsonb       NOT NULL DEFAULT '{}',
    -- Delivery state only; whether the user read it is read_at.
    status       text        NOT NULL DEFAULT 'pending',
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    scheduled_at timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    read_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notifications_pkey PRIMARY KEY (id),
    CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'sms', 'push', 'in_app')),
    CONSTRAINT notifications_template_check CHECK (btrim(template) <> ''),
    CONSTRAINT notifications_payload_check CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    CONSTRAINT notifications_attempts_check CHECK (attempts >= 0),
    CONSTRAINT notifications_sent_at_check CHECK (status <> 'sent' OR sent_at IS NOT NULL),
    CONSTRAINT notifications_read_at_check CHECK (read_at IS NULL OR status = 'sent'),
    -- Notifications are disposable and may carry PII; they go with the user.
    CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE
);

COMMENT ON TABLE notifications IS 'Outbox and inbox of user notifications across channels.';

CREATE INDEX idx_notifications_user_id_created_at ON notifications (user_id, created_at);
-- The dispatcher polls only due, undelivered rows.
CREATE INDEX idx_notifications_pending_scheduled_at ON notifications (scheduled_at) WHERE status = 'pending';
-- Retention deletes read notifications older than N days.
CREATE INDEX idx_notifications_read_at ON notifications (read_at) WHERE read_at IS NOT NULL;

CREATE TABLE profile_changes (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid        NOT NULL,
    field      text        NOT NULL,
    old_value  text,
    new_value  text,
    status     text        NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    CONSTRAINT profile_changes_pkey PRIMARY KEY (id),
    CONSTRAINT profile_changes_field_check CHECK (field IN ('name', 'phone', 'email')),
    CONSTRAINT profile_changes_status_check CHECK (status IN ('pending', 'applied', 'discarded')),
    CONSTRAINT profile_changes_decided_at_check CHECK ((status = 'pending') = (decided_at IS NULL)),
    -- Old and new values are PII of that user; anonymisation or deletion of
    -- the user takes them along.
    CONSTRAINT profile_changes_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE
);

COMMENT ON TABLE profile_changes IS
    'Requested edits to users.name/phone/email, applied after moderation. At most one pending change per (user, field).';

-- A newer request must discard the older one first, so a moderator never
-- approves a stale value.
CREATE UNIQUE INDEX profile_changes_user_id_field_pending_key ON profile_changes (user_id, field)
    WHERE status = 'pending';
CREATE INDEX idx_profile_changes_user_id_created_at ON profile_changes (user_id, created_at);
CREATE INDEX idx_profile_changes_pending_created_at ON profile_changes (created_at) WHERE status = 'pending';
