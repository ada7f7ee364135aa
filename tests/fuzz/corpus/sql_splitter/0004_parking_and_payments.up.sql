-- Parking lots, their slots, reservations and payments.

CREATE TABLE parking_lots (
    id          uuid             NOT NULL DEFAULT gen_random_uuid(),
    name        text             NOT NULL,
    address     text             NOT NULL,
    city        text             NOT NULL,
    latitude    double precision NOT NULL,
    longitude   double precision NOT NULL,
    -- IANA zone name (e.g. 'Asia/Kolkata'); opening hours and reports are
    -- local to the lot, timestamps stay in UTC.
    timezone    text             NOT NULL,
    -- The operator account that manages the lot, if any.
    operator_id uuid,
    created_at  timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT parking_lots_pkey PRIMARY KEY (id),
    CONSTRAINT parking_lots_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT parking_lots_latitude_check CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT parking_lots_longitude_check CHECK (longitude BETWEEN -180 AND 180),
    CONSTRAINT parking_lots_timezone_check CHECK (timezone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'),
    CONSTRAINT parking_lots_operator_id_fkey FOREIGN KEY (operator_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE parking_lots IS 'Parking facilities.';

CREATE INDEX idx_parking_lots_city ON parking_lots (city);
CREATE INDEX idx_parking_lots_operator_id ON parking_lots (operator_id);

CREATE TABLE parking_slots (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    lot_id     uuid        NOT NULL,
    label      text        NOT NULL,
    slot_type  text        NOT NULL DEFAULT 'standard',
    status     text        NOT NULL DEFAULT 'free',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT parking_slots_pkey PRIMARY KEY (id),
    CONSTRAINT parking_slots_lot_id_label_key UNIQUE (lot_id, label),
    CONSTRAINT parking_slots_label_check CHECK (btrim(label) <> ''),
    CONSTRAINT parking_slots_slot_type_check CHECK (slot_type IN ('standard', 'ev', 'accessible', 'motorcycle')),
    CONSTRAINT parking_slots_status_check CHECK (status IN ('free', 'occupied', 'reserved', 'assigned')),
    CONSTRAINT parking_slots_lot_id_fkey FOREIGN KEY (lot_id)
        REFERENCES parking_lots (id) ON DELETE CASCADE
);

COMMENT ON TABLE parking_slots IS
    'Individual spaces. status is the live sensor/operator state, not derived from reservations.';

CREATE TRIGGER parking_slots_set_updated_at
    BEFORE UPDATE ON parking_slots
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE reservations (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL,
    slot_id         uuid        NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    status          text        NOT NULL DEFAULT 'pending',
    -- A pending reservation holds the slot only until this moment; a
    -- sweeper must move stale holds to 'expired' to free the slot.
    hold_expires_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reservations_pkey PRIMARY KEY (id),
    CONSTRAINT reservations_period_check CHECK (ends_at > starts_at),
    CONSTRAINT reservations_status_check CHECK (status IN (
        'pending', 'confirmed', 'active', 'completed', 'cancelled', 'expired')),
    CONSTRAINT reservations_hold_expires_at_check CHECK (status <> 'pending' OR hold_expires_at IS NOT NULL),
    -- The double-booking guard. Only reservations that still claim the slot
    -- take part; ranges are half-open [starts_at, ends_at), so back-to-back
    -- bookings are fine. Requires btree_gist for uuid equality in GiST.
    CONSTRAINT reservations_slot_id_period_excl EXCLUDE USING gist (
        slot_id WITH =,
        tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status IN ('pending', 'confirmed', 'active')),
    -- Reservations are booking history that payments point at: a slot or
    -- user with reservations cannot be deleted.
    CONSTRAINT reservations_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT reservations_slot_id_fkey FOREIGN KEY (slot_id)
        REFERENCES parking_slots (id) ON DELETE RESTRICT
);

COMMENT ON TABLE reservations IS
    'Slot bookings. No two pending/confirmed/active reservations of one slot overlap (reservations_slot_id_period_excl).';

CREATE INDEX idx_reservations_user_id_starts_at ON reservations (user_id, starts_at);
CREATE INDEX idx_reservations_hold_expires_at ON reservations (hold_expires_at) WHERE status = 'pending';

CREATE TRIGGER reservations_set_updated_at
    BEFORE UPDATE ON reservations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE payments (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL,
    reservation_id   uuid,
    -- Integer minor units (paise, cents) so sums are exact.
    amount_minor     bigint      NOT NULL,
    currency         char(3)     NOT NULL,
    method           text        NOT NULL,
    -- PSP fingerprint of the card (same card => same value); never a PAN.
    card_fingerprint text,
    -- The payment provider's id for this charge, for webhook idempotency.
    provider_ref     text,
    status           text        NOT NULL DEFAULT 'pending',
    ip               inet,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    refunded_at      timestamptz,
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_provider_ref_key UNIQUE (provider_ref),
    CONSTRAINT payments_amount_minor_check CHECK (amount_minor > 0),
    CONSTRAINT payments_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT payments_method_check CHECK (method IN (
        'card', 'upi', 'wallet', 'coins', 'cash', 'bank_transfer')),
    CONSTRAINT payments_card_fingerprint_check CHECK (card_fingerprint IS NULL OR method = 'card'),
    CONSTRAINT payments_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    CONSTRAINT payments_refunded_at_check CHECK ((status = 'refunded') = (refunded_at IS NOT NULL)),
    CONSTRAINT payments_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT payments_reservation_id_fkey FOREIGN KEY (reservation_id)
        REFERENCES reservations (id) ON DELETE RESTRICT
);

COMMENT ON TABLE payments IS 'Money movements (charges and their refunds) for reservations and other purchases.';

CREATE INDEX idx_payments_created_at ON payments (created_at);
-- Fraud scans look for one card used by many accounts within a window.
CREATE INDEX idx_payments_card_fingerprint_created_at ON payments (card_fingerprint, created_at)
    WHERE card_fingerprint IS NOT NULL;
CREATE INDEX idx_payments_user_id ON payments (user_id);
CREATE INDEX idx_payments_reservation_id ON payments (reservation_id);

CREATE TRIGGER payments_set_updated_at
    BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
