-- The coin wallet: an append-only ledger whose sum is users.coin_balance.
--
-- Writers only INSERT into coin_transactions (user_id, action, amount,
-- description, metadata [, reverses_id]). The BEFORE INSERT trigger locks the
-- user row, checks the balance cannot go negative, updates
-- users.coin_balance and fills balance_after, so the invariant
--     users.coin_balance = SUM(coin_transactions.amount)
-- holds by construction and cannot drift through a forgotten UPDATE.

CREATE TABLE coin_transactions (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    user_id       uuid        NOT NULL,
    action        text        NOT NULL,
    amount        bigint      NOT NULL,
    balance_after bigint      NOT NULL,
    -- Set only for action = 'reversal': the row being undone.
    reverses_id   bigint,
    description   text,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coin_transactions_pkey PRIMARY KEY (id),
    CONSTRAINT coin_transactions_action_check CHECK (action IN (
        'add_charger', 'verify_charger', 'upload_photo', 'review',
        'redeem', 'adjustment', 'reversal')),
    CONSTRAINT coin_transactions_amount_check CHECK (amount <> 0),
    -- Rewards only credit and redemptions only debit; manual adjustments and
    -- reversals may go either way.
    CONSTRAINT coin_transactions_amount_sign_check CHECK (
        CASE action
            WHEN 'redeem' THEN amount < 0
            WHEN 'adjustment' THEN true
            WHEN 'reversal' THEN true
            ELSE amount > 0
        END),
    CONSTRAINT coin_transactions_balance_after_check CHECK (balance_after >= 0),
    CONSTRAINT coin_transactions_reverses_id_check CHECK ((action = 'reversal') = (reverses_id IS NOT NULL)),
    -- A row can be reversed at most once.
    CONSTRAINT coin_transactions_reverses_id_key UNIQUE (reverses_id),
    CONSTRAINT coin_transactions_metadata_check CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT coin_transactions_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT coin_transactions_reverses_id_fkey FOREIGN KEY (reverses_id)
        REFERENCES coin_transactions (id) ON DELETE RESTRICT
);

COMMENT ON TABLE coin_transactions IS
    'Append-only coin ledger. Per user, rows ordered by id form a running balance: balance_after = previous balance_after + amount.';
COMMENT ON COLUMN coin_transactions.balance_after IS
    'User balance after this row; computed by trigger coin_transactions_apply (any supplied value is overwritten).';

CREATE INDEX idx_coin_transactions_user_id_created_at ON coin_transactions (user_id, created_at);
CREATE INDEX idx_coin_transactions_action_created_at ON coin_transactions (action, created_at);

CREATE FUNCTION coin_transactions_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    current_balance bigint;
    original        coin_transactions%ROWTYPE;
BEGIN
    IF NEW.action = 'reversal' THEN
        SELECT * INTO original FROM coin_transactions WHERE id = NEW.reverses_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'coin transaction % to reverse does not exist', NEW.reverses_id
                USING ERRCODE = 'foreign_key_violation',
                      CONSTRAINT = 'coin_transactions_reverses_id_fkey';
        END IF;
        IF original.user_id <> NEW.user_id OR NEW.amount <> -original.amount THEN
            RAISE EXCEPTION 'reversal of coin transaction % must be for user % and amount %',
                    original.id, original.user_id, -original.amount
                USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'coin_transactions_reversal_check';
        END IF;
    END IF;

    -- The row lock serialises concurrent ledger writes for the same user.
    SELECT coin_balance INTO current_balance FROM users WHERE id = NEW.user_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user % does not exist', NEW.user_id
            USING ERRCODE = 'foreign_key_violation',
                  CONSTRAINT = 'coin_transactions_user_id_fkey';
    END IF;
    IF current_balance + NEW.amount < 0 THEN
        RAISE EXCEPTION 'insufficient coins: balance %, amount %', current_balance, NEW.amount
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'coin_transactions_balance_after_check';
    END IF;

    UPDATE users SET coin_balance = current_balance + NEW.amount WHERE id = NEW.user_id;
    NEW.balance_after := current_balance + NEW.amount;

    -- The identity default was drawn before the lock was taken, so two
    -- concurrent writers could commit in the opposite order of their ids.
    -- Drawing the id again while holding the lock makes id order equal
    -- balance order per user (the first value is simply skipped).
    NEW.id := nextval(pg_get_serial_sequence('coin_transactions', 'id'));
    RETURN NEW;
END;
$$;

CREATE TRIGGER coin_transactions_apply
    BEFORE INSERT ON coin_transactions
    FOR EACH ROW EXECUTE FUNCTION coin_transactions_apply();

CREATE TRIGGER coin_transactions_append_only
    BEFORE UPDATE OR DELETE ON coin_transactions
    FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER coin_transactions_no_truncate
    BEFORE TRUNCATE ON coin_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- The other half of the invariant: users.coin_balance may only move through
-- the ledger. The ledger trigger updates users from inside a trigger, so
-- its UPDATE runs at trigger depth 2; a direct UPDATE runs at depth 1.
CREATE FUNCTION users_guard_coin_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.coin_balance <> 0 THEN
            RAISE EXCEPTION 'new users start with coin_balance 0; credit coins through coin_transactions'
                USING ERRCODE = 'check_violation',
                      CONSTRAINT = 'users_coin_balance_ledger_check';
        END IF;
    ELSIF NEW.coin_balance IS DISTINCT FROM OLD.coin_balance AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'users.coin_balance can only change by inserting into coin_transactions'
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'users_coin_balance_ledger_check';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER users_guard_coin_balance
    BEFORE INSERT OR UPDATE OF coin_balance ON users
    FOR EACH ROW EXECUTE FUNCTION users_guard_coin_balance();
