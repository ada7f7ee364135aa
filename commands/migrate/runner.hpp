#pragma once
// Runs one migration script and records it in the state table. A transactional script and its
// state row commit together or not at all. A non-transactional one is marked dirty first and runs
// statement by statement; if a statement fails, the row stays dirty with the statement, its line
// and PostgreSQL's error, and later runs refuse until `spotctl migrate repair`.
// A transactional script cancelled on lock_timeout (SQLSTATE 55P03) is rolled back and tried
// again after a jittered exponential backoff, `lock_retries` times; each failed try is logged
// with the session that held the lock. A non-transactional one is never retried: part of it
// may already be done.
#include <string>

#include "commands/migrate/migration_files.hpp"
#include "core/duration.hpp"
#include "core/job_lock.hpp"
#include "core/pg.hpp"

namespace spotctl::migrate {

struct RunSettings {
    Millis lock_timeout{0};       // PostgreSQL lock_timeout for the DDL; 0 disables
    Millis statement_timeout{0};  // PostgreSQL statement_timeout; 0 disables
    int lock_retries = 5;         // more tries after a lock timeout; 0: fail on the first
    Millis lock_retry_base{500};  // the wait before the first retry; doubles with each one
    pg::Settings watch;           // where the lock watch connects (the migration's own server)
    std::string applied_by;
};

// "SET [LOCAL] lock_timeout = ...; SET [LOCAL] statement_timeout = ..." for the settings.
std::string timeout_sql(bool local, const RunSettings& settings);
// Records an applied migration in the state table, inside `tx`.
void record_applied(pg::Transaction& tx, const MigrationFile& m, const RunSettings& settings, long long ms);

// Returns the execution time in milliseconds. Failures throw Error naming file:line.
long long run_up(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings);
long long run_down(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings);

// golang-migrate files often wrap themselves in BEGIN; ... COMMIT;. Inside the transaction spotctl
// opens, that COMMIT would end it early and the state row would commit on its own. A script that is
// exactly one such block comes back with the two statements blanked (line numbers kept); any other
// script comes back as it is.
std::string without_wrapping_transaction(const std::string& sql);

// The line a PostgreSQL error points at ("LINE n:" in its message), relative to what was sent.
std::optional<long long> error_line(const std::string& server_message);

// How long to wait before retry number `retry` (1, 2, ...): base * 2^(retry-1), capped at a
// minute, then a uniformly random part of its upper half ("equal jitter"), so that several
// runners blocked by the same session do not all come back at the same moment.
Millis lock_retry_delay(Millis base, int retry);

}  // namespace spotctl::migrate
