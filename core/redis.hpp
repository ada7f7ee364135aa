#pragma once
// Redis access behind a small interface (hiredis stays in core/). Commands are sent as
// argument vectors, binary-safe, never formatted into a command string.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.hpp"

namespace spotctl::redis {

struct Endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string socket;  // a unix socket path instead of host:port
    std::string username;
    std::string password;
    int db = 0;
};

// redis://[user:pass@]host[:port][/db], unix:///path/redis.sock[?db=N][&password=P].
// Throws Error(Exit::config) naming what is wrong.
Endpoint parse_url(std::string_view url);
// The endpoint for messages, password as ****.
std::string describe(const Endpoint& endpoint);

struct Reply {
    enum class Type { string, array, integer, nil, status, error } type = Type::nil;
    std::string str;
    long long integer = 0;
    std::vector<Reply> elements;
    bool is_error() const { return type == Type::error; }
};

class Client {
public:
    // Connects, authenticates and selects the database. Error(Exit::unavailable) on failure.
    Client(const Endpoint& endpoint, Millis timeout);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // One command; an error reply is returned as Type::error, not thrown.
    Reply command(const std::vector<std::string>& argv);
    // Pipelining: queue commands, then read their replies in order.
    void append(const std::vector<std::string>& argv);
    Reply read_reply();
    // Sends what append() queued now, without waiting for replies (to keep several servers busy).
    void flush();

    const Endpoint& endpoint() const { return endpoint_; }

private:
    [[noreturn]] void connection_failed(std::string_view during);
    Endpoint endpoint_;
    void* ctx_;  // redisContext*
};

}  // namespace spotctl::redis
