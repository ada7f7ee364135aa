DROP TABLE IF EXISTS role_grants;
