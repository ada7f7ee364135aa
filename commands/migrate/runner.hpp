#pragma once
// Runs one migration script and records it in the state table. A transactional script and its
// state row commit together or not at all. A non-transactional one is marked dirty first and runs
// statement by statement; if a statement fails, the row stays dirty with the statement, its line
// and PostgreSQL's error, and later runs refuse until `spotctl migrate repair`.
#include <string>

#include "commands/migrate/migration_files.hpp"
#include "core/duration.hpp"
#include "core/job_lock.hpp"
#include "core/pg.hpp"

namespace spotctl::migrate {

struct RunSettings {
    Millis lock_timeout{0};       // PostgreSQL lock_timeout for the DDL; 0 disables
    Millis statement_timeout{0};  // PostgreSQL statement_timeout; 0 disables
    std::string applied_by;
};

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

}  // namespace spotctl::migrate
