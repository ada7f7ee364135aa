DROP TABLE IF EXISTS profile_changes;
DROP TABLE IF EXISTS notifications;
