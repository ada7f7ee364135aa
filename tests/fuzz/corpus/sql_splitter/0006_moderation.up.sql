-- The moderation queue. Items point at their subject polymorphically
-- (subject_type + subject_id), so there is no FK to the subject: the subject
-- may be purged while the decision record stays.

CREATE TABLE moderation_items (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    subject_type  text        NOT NULL,
    subject_id    uuid        NOT NULL,
    reason        text        NOT NULL,
    -- NULL when the system queued the item (e.g. every new charger).
    reporter_id   uuid,
    status        text        NOT NULL DEFAULT 'open',
    -- A claim is a lease: once claimed_until passes, another moderator may
    -- take the item over, so a crashed session cannot hide work forever.
    claimed_by    uuid,
    claimed_until timestamptz,
    decided_by    uuid,
    decided_at    timestamptz,
    decision_note text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT moderation_items_pkey PRIMARY KEY (id),
    CONSTRAINT moderation_items_subject_type_check CHECK (subject_type IN (
        'charger', 'photo', 'review', 'profile_change', 'user')),
    CONSTRAINT moderation_items_reason_check CHECK (btrim(reason) <> ''),
    CONSTRAINT moderation_items_status_check CHECK (status IN (
        'open', 'claimed', 'approved', 'rejected', 'escalated')),
    CONSTRAINT moderation_items_claim_check CHECK (
        status <> 'claimed' OR (claimed_by IS NOT NULL AND claimed_until IS NOT NULL)),
    CONSTRAINT moderation_items_decision_check CHECK (
        status NOT IN ('approved', 'rejected', 'escalated')
        OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    CONSTRAINT moderation_items_reporter_id_fkey FOREIGN KEY (reporter_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT moderation_items_claimed_by_fkey FOREIGN KEY (claimed_by)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT moderation_items_decided_by_fkey FOREIGN KEY (decided_by)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE moderation_items IS
    'Moderation queue. subject_id is the id of a chargers/charger_photos/charger_reviews/profile_changes/users row per subject_type.';

-- Oldest-first work queue; stays small because decided rows fall out.
CREATE INDEX idx_moderation_items_open_created_at ON moderation_items (created_at) WHERE status = 'open';
-- Finding expired claims to hand back to the queue.
CREATE INDEX idx_moderation_items_claimed_until ON moderation_items (claimed_until) WHERE status = 'claimed';
-- Repeated reports of the same subject join the existing undecided item
-- (INSERT ... ON CONFLICT (subject_type, subject_id)
--  WHERE status IN ('open', 'claimed', 'escalated') DO NOTHING).
CREATE UNIQUE INDEX moderation_items_subject_undecided_key ON moderation_items (subject_type, subject_id)
    WHERE status IN ('open', 'claimed', 'escalated');
CREATE INDEX idx_moderation_items_subject ON moderation_items (subject_type, subject_id);
CREATE INDEX idx_moderation_items_decided_by_decided_at ON moderation_items (decided_by, decided_at)
    WHERE decided_by IS NOT NULL;

CREATE TRIGGER moderation_items_set_updated_at
    BEFORE UPDATE ON moderation_items
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
