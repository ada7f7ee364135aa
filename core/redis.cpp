#include "core/redis.hpp"

#include <charconv>
#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "core/errors.hpp"
#include "core/parse_number.hpp"
#include "core/redact.hpp"

namespace spotctl::redis {
namespace {

redisContext* as_ctx(void* p) { return static_cast<redisContext*>(p); }

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int v = 0;
            auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (r.ec == std::errc() && r.ptr == s.data() + i + 3) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

int parse_int(std::string_view text, std::string_view what, std::string_view url) {
    auto v = parse_number<int>(text);
    if (!v || *v < 0)
        // The part is not echoed: in a mistyped URL it may be (part of) a password.
        throw Error(Exit::config, fmt::format("invalid Redis URL '{}': the {} is not a number", redact_url(url), what));
    return *v;
}

Reply convert(const redisReply* r) {
    Reply out;
    switch (r->type) {
        case REDIS_REPLY_STRING: out.type = Reply::Type::string; out.str.assign(r->str, r->len); break;
        case REDIS_REPLY_STATUS: out.type = Reply::Type::status; out.str.assign(r->str, r->len); break;
        case REDIS_REPLY_ERROR: out.type = Reply::Type::error; out.str.assign(r->str, r->len); break;
        case REDIS_REPLY_INTEGER: out.type = Reply::Type::integer; out.integer = r->integer; break;
        case REDIS_REPLY_ARRAY:
            out.type = Reply::Type::array;
            out.elements.reserve(r->elements);
            for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
            break;
        default: out.type = Reply::Type::nil; break;
    }
    return out;
}

}  // namespace

Endpoint parse_url(std::string_view url) {
    Endpoint e;
    auto bad = [&](std::string_view why) {
        return Error(Exit::config, fmt::format("invalid Redis URL '{}': {}", redact_url(url), why),
                     "use redis://[user:password@]host:port/db or unix:///path/redis.sock?db=N");
    };
    // Spaces and control characters have no place in a URL, and the redaction of messages relies
    // on that: say where, without echoing a URL that might hold a password.
    for (std::size_t i = 0; i < url.size(); ++i)
        if (static_cast<unsigned char>(url[i]) <= 0x20 || url[i] == 0x7f)
            throw Error(Exit::config, fmt::format("invalid Redis URL: a space or control character at position {}", i + 1),
                        "percent-encode such characters (%20 for a space)");
    std::string_view rest;
    bool unix_socket = false;
    if (url.rfind("redis://", 0) == 0) rest = url.substr(8);
    else if (url.rfind("unix://", 0) == 0) { rest = url.substr(7); unix_socket = true; }
    else if (url.rfind("rediss://", 0) == 0) throw bad("TLS (rediss://) is not supported by this build");
    else throw bad("it must start with redis:// or unix://");

    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    // User information comes before the first '/' and ends at the first '@', as libpq and
    // redact_url read it: an '@' or '/' in a user name or password must be percent-encoded.
    if (auto at = rest.substr(0, rest.find('/')).find('@'); at != std::string_view::npos) {
        auto userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = userinfo.find(':');
        if (colon == std::string_view::npos) {
            e.password = percent_decode(userinfo);  // redis://secret@host, as redis-cli -u takes it
        } else {
            e.username = percent_decode(userinfo.substr(0, colon));
            e.password = percent_decode(userinfo.substr(colon + 1));
        }
        register_secret(e.password);  // before any error below can quote the URL
    }
    if (unix_socket) {
        if (rest.empty() || rest[0] != '/') throw bad("a unix socket path must be absolute");
        e.socket = percent_decode(rest);
    } else {
        auto slash = rest.find('/');
        auto hostport = rest.substr(0, slash);
        if (slash != std::string_view::npos && slash + 1 < rest.size()) e.db = parse_int(rest.substr(slash + 1), "database", url);
        if (!hostport.empty() && hostport[0] == '[') {  // [::1]:6379
            auto close = hostport.find(']');
            if (close == std::string_view::npos) throw bad("unterminated IPv6 address");
            e.host = std::string(hostport.substr(1, close - 1));
            if (close + 1 < hostport.size() && hostport[close + 1] == ':') e.port = parse_int(hostport.substr(close + 2), "port", url);
        } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
            e.host = std::string(hostport.substr(0, colon));
            e.port = parse_int(hostport.substr(colon + 1), "port", url);
        } else if (!hostport.empty()) {
            e.host = std::string(hostport);
        }
        if (e.port == 0 || e.port > 65535) throw bad("port out of range");
    }
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        auto eq = pair.find('=');
        auto key = pair.substr(0, eq);
        auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (key == "db") e.db = parse_int(value, "database", url);
        else if (key == "password") e.password = percent_decode(value);
        else if (key == "user" || key == "username") e.username = percent_decode(value);
        else throw bad(fmt::format("unknown parameter '{}'", key));
    }
    register_secret(e.password);
    return e;
}

std::string describe(const Endpoint& e) {
    std::string auth;
    if (!e.password.empty()) auth = (e.username.empty() ? "" : e.username) + ":****@";
    if (!e.socket.empty()) return fmt::format("unix://{}{}?db={}", auth, e.socket, e.db);
    bool v6 = e.host.find(':') != std::string::npos;
    return fmt::format("redis://{}{}{}{}:{}/{}", auth, v6 ? "[" : "", e.host, v6 ? "]" : "", e.port, e.db);
}

Client::Client(const Endpoint& endpoint, Millis timeout) : endpoint_(endpoint), ctx_(nullptr) {
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    redisContext* c = endpoint.socket.empty() ? redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, tv)
                                              : redisConnectUnixWithTimeout(endpoint.socket.c_str(), tv);
    ctx_ = c;
    try {
        if (!c || c->err) connection_failed("connecting");
        // The connect timeout bounds only the connect; commands need their own.
        redisSetTimeout(c, tv);
        if (!endpoint.password.empty()) {
            Reply r = endpoint.username.empty() ? command({"AUTH", endpoint.password})
                                                : command({"AUTH", endpoint.username, endpoint.password});
            if (r.is_error())
                throw Error(Exit::unavailable, fmt::format("cannot authenticate to Redis at {}: {}", describe(endpoint), r.str),
                            "check the password in --redis-url or REDIS_URL");
        }
        if (endpoint.db != 0) {
            Reply r = command({"SELECT", std::to_string(endpoint.db)});
            if (r.is_error())
                throw Error(Exit::config, fmt::format("cannot select Redis database {} at {}: {}", endpoint.db, describe(endpoint), r.str));
        }
    } catch (...) {
        // A constructor that throws runs no destructor: the context is freed here (LeakSanitizer
        // found it leaking on every failed connection and every refused password).
        if (ctx_) redisFree(as_ctx(ctx_));
        ctx_ = nullptr;
        throw;
    }
}

Client::~Client() {
    if (ctx_) redisFree(as_ctx(ctx_));
}

void Client::connection_failed(std::string_view during) {
    redisContext* c = as_ctx(ctx_);
    std::string why = c ? (c->err == REDIS_ERR_IO && c->errstr[0] == 0 ? "I/O error" : c->errstr) : "out of memory";
    if (c && c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == ETIMEDOUT)) why = "timed out";
    throw Error(Exit::unavailable, fmt::format("Redis at {} failed while {}: {}", describe(endpoint_), during, why),
                "check --redis-url (or REDIS_URL) and that the server is running");
}

Reply Client::command(const std::vector<std::string>& argv) {
    append(argv);
    return read_reply();
}

void Client::append(const std::vector<std::string>& argv) {
    std::vector<const char*> args;
    std::vector<std::size_t> lengths;
    args.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& a : argv) {
        args.push_back(a.data());
        lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(as_ctx(ctx_), static_cast<int>(args.size()), args.data(), lengths.data()) != REDIS_OK)
        connection_failed("sending a command");
}

void Client::flush() {
    int done = 0;
    while (!done)
        if (redisBufferWrite(as_ctx(ctx_), &done) != REDIS_OK) connection_failed("sending commands");
}

Reply Client::read_reply() {
    void* raw = nullptr;
    if (redisGetReply(as_ctx(ctx_), &raw) != REDIS_OK || !raw) connection_failed("reading a reply");
    auto* reply = static_cast<redisReply*>(raw);
    Reply out = convert(reply);
    freeReplyObject(reply);
    return out;
}

}  // namespace spotctl::redis
