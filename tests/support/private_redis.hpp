#pragma once
// A Redis of one test case's own, on a unix socket in a temporary directory: a test may fill it,
// stop it or restart it without disturbing any other test. Stopped at the end of the test case.
#include <string>

#include "support/temp_dir.hpp"

namespace spotctl::test {

struct RedisOptions {
    std::string password;     // requirepass, when not empty
    bool persistent = false;  // an append-only file keeps the keys across stop() and start()
};

class PrivateRedis {
public:
    explicit PrivateRedis(RedisOptions options = {});
    ~PrivateRedis();
    PrivateRedis(const PrivateRedis&) = delete;
    PrivateRedis& operator=(const PrivateRedis&) = delete;

    void start();
    void stop();  // SHUTDOWN: with `persistent`, the keys are on disk for the next start()
    const std::string& socket() const { return socket_; }
    std::string url() const { return "unix://" + socket_; }
    // redis-cli's output for `args` (trailing newline removed).
    std::string cli(const std::string& args) const;
    // SET PREFIX1 .. PREFIXn, pipelined.
    void fill(const std::string& prefix, int n) const;

private:
    std::string auth() const;  // redis-cli's arguments for the password, if any

    RedisOptions options_;
    TempDir dir_;
    std::string socket_;
};

}  // namespace spotctl::test
