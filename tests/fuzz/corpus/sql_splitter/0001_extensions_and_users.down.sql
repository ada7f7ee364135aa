DROP TABLE IF EXISTS user_sessions;
DROP TABLE IF EXISTS users;
DROP FUNCTION IF EXISTS refuse_append_only_change();
DROP FUNCTION IF EXISTS set_updated_at();
-- Created by the up migration; nothing else in this schema uses them.
DROP EXTENSION IF EXISTS btree_gist;
DROP EXTENSION IF EXISTS citext;
