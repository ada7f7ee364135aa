-- EV chargers and the crowd-sourced data attached to them: verifications,
-- photos and reviews.
--
-- Content rows reference users with ON DELETE RESTRICT: users are anonymised,
-- never deleted, and contributions are what coins were paid for. Rows hang
-- off chargers with ON DELETE CASCADE so that purging a spam charger removes
-- its crowd data too (normal removal is status = 'removed').

CREATE TABLE chargers (
    id                 uuid             NOT NULL DEFAULT gen_random_uuid(),
    name               text             NOT NULL,
    address            text             NOT NULL,
    city               text             NOT NULL,
    latitude           double precision NOT NULL,
    longitude          double precision NOT NULL,
    port_types         text[]           NOT NULL,
    total_ports        integer          NOT NULL,
    available_ports    integer          NOT NULL,
    amenities          text[]           NOT NULL DEFAULT '{}',
    verification_level smallint         NOT NULL DEFAULT 0,
    status             text             NOT NULL DEFAULT 'pending',
    -- NULL for chargers imported from operator feeds rather than added by a user.
    added_by           uuid,
    created_at         timestamptz      NOT NULL DEFAULT now(),
    updated_at         timestamptz      NOT NULL DEFAULT now(),
    last_verified_at   timestamptz,
    CONSTRAINT chargers_pkey PRIMARY KEY (id),
    CONSTRAINT chargers_name_check CHECK (btrim(name) <> ''),
    CONSTRAINT chargers_latitude_check CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT chargers_longitude_check CHECK (longitude BETWEEN -180 AND 180),
    -- A fixed vocabulary keeps filters ("CCS near me") exact; extend it with a
    -- migration. <@ is false for NULL elements, so NULLs are refused as well.
    CONSTRAINT chargers_port_types_check CHECK (
        cardinality(port_types) > 0
        AND port_types <@ ARRAY['Type 1', 'Type 2', 'CCS', 'CHAdeMO', 'GB/T', 'Tesla']::text[]
    ),
    CONSTRAINT chargers_amenities_check CHECK (array_position(amenities, NULL) IS NULL),
    CONSTRAINT chargers_total_ports_check CHECK (total_ports > 0),
    CONSTRAINT chargers_available_ports_check CHECK (available_ports BETWEEN 0 AND total_ports),
    CONSTRAINT chargers_verification_level_check CHECK (verification_level BETWEEN 0 AND 5),
    CONSTRAINT chargers_status_check CHECK (status IN ('pending', 'active', 'hidden', 'removed')),
    CONSTRAINT chargers_added_by_fkey FOREIGN KEY (added_by)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE chargers IS 'EV charging locations, added by users or imported.';
COMMENT ON COLUMN chargers.verification_level IS
    '0 = unverified .. 5 = verified many times recently; recomputed by the app from charger_verifications.';

CREATE INDEX idx_chargers_city ON chargers (city);
CREATE INDEX idx_chargers_status ON chargers (status);
CREATE INDEX idx_chargers_added_by ON chargers (added_by);
-- Array containment filters (port_types @> '{CCS}') cannot use a btree.
CREATE INDEX idx_chargers_port_types ON chargers USING gin (port_types);

CREATE TRIGGER chargers_set_updated_at
    BEFORE UPDATE ON chargers
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE charger_verifications (
    id              uuid             NOT NULL DEFAULT gen_random_uuid(),
    charger_id      uuid             NOT NULL,
    user_id         uuid             NOT NULL,
    reported_status text             NOT NULL,
    note            text,
    -- Where the verifier stood, when the client shared it; used to spot
    -- verifications made from far away.
    latitude        double precision,
    longitude       double precision,
    created_at      timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT charger_verifications_pkey PRIMARY KEY (id),
    CONSTRAINT charger_verifications_reported_status_check
        CHECK (reported_status IN ('available', 'occupied', 'broken', 'not_found')),
    CONSTRAINT charger_verifications_latitude_check CHECK (latitude BETWEEN -90 AND 90),
    CONSTRAINT charger_verifications_longitude_check CHECK (longitude BETWEEN -180 AND 180),
    CONSTRAINT charger_verifications_location_check CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CONSTRAINT charger_verifications_charger_id_fkey FOREIGN KEY (charger_id)
        REFERENCES chargers (id) ON DELETE CASCADE,
    CONSTRAINT charger_verifications_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE charger_verifications IS
    'On-site status reports. A user may not verify a charger they added (trigger charger_verifications_not_self).';

CREATE INDEX idx_charger_verifications_user_id_created_at ON charger_verifications (user_id, created_at);
CREATE INDEX idx_charger_verifications_charger_id_created_at ON charger_verifications (charger_id, created_at);

-- Self-verification would let a user mint coins and trust on their own
-- listing. A CHECK cannot read chargers, hence a trigger. It reports itself
-- as a check_violation with a constraint name so clients can map it like
-- any other constraint error.
CREATE FUNCTION charger_verifications_refuse_self() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM chargers c
               WHERE c.id = NEW.charger_id AND c.added_by = NEW.user_id) THEN
        RAISE EXCEPTION 'user % cannot verify charger % because they added it',
                NEW.user_id, NEW.charger_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'charger_verifications_not_self_check',
                  TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER charger_verifications_not_self
    BEFORE INSERT OR UPDATE OF user_id, charger_id ON charger_verifications
    FOR EACH ROW EXECUTE FUNCTION charger_verifications_refuse_self();

CREATE TABLE charger_photos (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    charger_id  uuid        NOT NULL,
    uploader_id uuid        NOT NULL,
    storage_url text        NOT NULL,
    status      text        NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now(),
    reviewed_at timestamptz,
    CONSTRAINT charger_photos_pkey PRIMARY KEY (id),
    CONSTRAINT charger_photos_storage_url_check CHECK (btrim(storage_url) <> ''),
    CONSTRAINT charger_photos_status_check CHECK (status IN ('pending', 'approved', 'rejected')),
    CONSTRAINT charger_photos_reviewed_at_check CHECK (status = 'pending' OR reviewed_at IS NOT NULL),
    CONSTRAINT charger_photos_charger_id_fkey FOREIGN KEY (charger_id)
        REFERENCES chargers (id) ON DELETE CASCADE,
    CONSTRAINT charger_photos_uploader_id_fkey FOREIGN KEY (uploader_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE charger_photos IS 'User-uploaded charger photos; only approved ones are shown.';

CREATE INDEX idx_charger_photos_charger_id_status ON charger_photos (charger_id, status);
CREATE INDEX idx_charger_photos_uploader_id_created_at ON charger_photos (uploader_id, created_at);

CREATE TABLE charger_reviews (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    charger_id uuid        NOT NULL,
    user_id    uuid        NOT NULL,
    rating     smallint    NOT NULL,
    body       text,
    status     text        NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT charger_reviews_pkey PRIMARY KEY (id),
    -- One review per user and charger: reviews earn coins, so repeats would
    -- be a farming loop. Edit the existing review instead.
    CONSTRAINT charger_reviews_charger_id_user_id_key UNIQUE (charger_id, user_id),
    CONSTRAINT charger_reviews_rating_check CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT charger_reviews_status_check CHECK (status IN ('pending', 'published', 'removed')),
    CONSTRAINT charger_reviews_charger_id_fkey FOREIGN KEY (charger_id)
        REFERENCES chargers (id) ON DELETE CASCADE,
    CONSTRAINT charger_reviews_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT
);

COMMENT ON TABLE charger_reviews IS 'Star ratings and text reviews; one per (charger, user).';

CREATE INDEX idx_charger_reviews_user_id_created_at ON charger_reviews (user_id, created_at);
