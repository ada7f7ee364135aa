DROP TABLE IF EXISTS charger_reviews;
DROP TABLE IF EXISTS charger_photos;
DROP TABLE IF EXISTS charger_verifications;
DROP FUNCTION IF EXISTS charger_verifications_refuse_self();
DROP TABLE IF EXISTS chargers;
