DROP TRIGGER IF EXISTS users_guard_coin_balance ON users;
DROP FUNCTION IF EXISTS users_guard_coin_balance();
DROP TABLE IF EXISTS coin_transactions;
DROP FUNCTION IF EXISTS coin_transactions_apply();
