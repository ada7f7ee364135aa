#pragma once
// A short-lived PostgreSQL session for health probes, on libpq's asynchronous API: connecting
// and every query are bounded by a hard deadline, so a server (or an address) that accepts a
// connection and never answers cannot hold a probe past its time.
#include <chrono>
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::pg {

using Deadline = std::chrono::steady_clock::time_point;

class ProbeError : public Error {
public:
    ProbeError(const std::string& message, bool timed_out)
        : Error(timed_out ? Exit::temp_fail : Exit::unavailable, message), timed_out_(timed_out) {}
    bool timed_out() const { return timed_out_; }

private:
    bool timed_out_;
};

struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
    // The value of `column` in the first row; empty when absent or NULL.
    Value first(const std::string& column) const;
};

// One statement's answer within a batch: its rows, or why it failed.
struct Statement {
    Rows rows;
    std::string error;     // empty when it succeeded
    std::string sqlstate;  // of the error, e.g. "42P01" (undefined table)
};

class ProbeSession {
public:
    // Connects before `deadline`; throws ProbeError.
    ProbeSession(const Settings& settings, Deadline deadline);
    ~ProbeSession();
    ProbeSession(const ProbeSession&) = delete;
    ProbeSession& operator=(const ProbeSession&) = delete;

    // One statement, answered before `deadline` (the query is cancelled otherwise); throws ProbeError.
    Rows query(const std::string& sql, Deadline deadline);
    // Several statements separated by ';' in one round trip (the simple query protocol), one
    // Statement each for those the server ran: the first that fails is the last one answered
    // (its error in the Statement; the server skips the rest). Throws ProbeError for a timeout or
    // a lost connection only.
    std::vector<Statement> batch(const std::string& sql, Deadline deadline);
    double connect_ms() const { return connect_ms_; }

private:
    void* conn_;  // PGconn*
    std::string where_;
    double connect_ms_ = 0;
};

}  // namespace spotctl::pg
