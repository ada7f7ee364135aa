#pragma once
// "Only one of these jobs at a time per database": a PostgreSQL session-level advisory lock,
// held on a plain libpq connection of its own. That connection never opens a transaction, so a
// CREATE INDEX CONCURRENTLY run by the job can never wait on it, and unlike libpqxx 6 it is never
// silently re-established: verify() notices a lost lock and the job stops instead of going on unlocked.
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.hpp"
#include "core/pg.hpp"

namespace spotctl {

class JobLock {
public:
    // Polls pg_try_advisory_lock until `wait` has passed. When another session holds the lock:
    // Error(Exit::temp_fail) naming the holder (application name, host, since when).
    static JobLock acquire(const pg::Settings& settings, std::string_view job, Millis wait);

    JobLock(JobLock&&) noexcept;
    JobLock& operator=(JobLock&&) = delete;
    ~JobLock();  // releases the lock and closes its connection

    // Throws Error(Exit::temp_fail) when the lock's connection is gone (and so the lock).
    void verify() const;
    const std::string& job() const { return job_; }

    // The advisory-lock key pair spotctl uses for a job name.
    static int class_id();
    static int object_id(std::string_view job);

private:
    JobLock(void* conn, std::string job) : conn_(conn), job_(std::move(job)) {}
    void* conn_;  // PGconn*
    std::string job_;
};

// The spotctl jobs that hold a lock on the current database now (for `spotctl locks`).
struct LockHolder {
    std::string job;
    int pid;
    std::string application_name;
    std::string client;
    std::string since;
};
std::vector<LockHolder> current_job_locks(pg::Connection& conn);

// Jobs known by name, so that `spotctl locks` can name a key it sees.
const std::vector<std::string>& known_jobs();

}  // namespace spotctl
