DROP TABLE IF EXISTS user_risk_profiles;
DROP TABLE IF EXISTS ip_blacklist;
DROP TABLE IF EXISTS fraud_alerts;
DROP TABLE IF EXISTS login_attempts;
