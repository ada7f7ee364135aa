ALTER TABLE users DROP COLUMN IF EXISTS password_reset_required;
