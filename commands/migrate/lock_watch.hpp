#pragma once
// Who kept a migration waiting for a lock. Once PostgreSQL cancels the statement on lock_timeout
// it no longer waits, so pg_blocking_pids() of the migrating session says nothing afterwards:
// the blocker has to be seen while the statement waits. A watcher thread, on a connection of its
// own, samples pg_blocking_pids(migrating pid) while one try of a migration runs. It connects
// only once a try has run for one sampling interval, so migrations that take no lock wait cost
// no extra connection.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/duration.hpp"
#include "core/pg.hpp"

namespace spotctl::migrate {

struct Blocker {
    int pid = 0;
    std::string application_name;
    std::string client;  // "10.0.0.5:50312" or "local socket"
    std::string state;   // "idle in transaction", "active", ...
    long long held_ms = 0;  // how long its transaction (or its current state) had lasted
    std::string query;      // first line of its current or last query, without secrets
};

// "pid 4242 (application 'psql', client local socket, idle in transaction for 3.2s, query: SELECT ...)"
std::string describe(const Blocker& b);

// How often to sample for a given lock_timeout: a few times per timeout, within bounds.
Millis sampling_interval(Millis lock_timeout);

class LockWatch {
public:
    // `settings`: where to connect (the application name is set here); `migrating_pid`: the
    // backend whose blockers to sample.
    LockWatch(pg::Settings settings, int migrating_pid, Millis interval);
    ~LockWatch();
    LockWatch(const LockWatch&) = delete;
    LockWatch& operator=(const LockWatch&) = delete;

    // Starts sampling (one try of the migration begins).
    void start();
    // Stops sampling; returns the last blocker seen during this try, if any.
    std::optional<Blocker> stop();

private:
    void sample_until_stopped();

    pg::Settings settings_;
    int migrating_pid_;
    Millis interval_;
    std::unique_ptr<pg::Connection> conn_;  // touched only by the sampling thread
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::optional<Blocker> seen_;
};

}  // namespace spotctl::migrate
