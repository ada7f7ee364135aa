#pragma once
// HTTP(S) requests through libcurl, for probes of the platform's servers. Every request is
// bounded by its own timeout, and the answer says how long it took and, for https, how many
// days the server's certificate has left. libcurl is linked only into the module spotctl-http.so
// (core/http_curl.cpp), loaded by the first request (core/module.hpp).
#include <optional>
#include <string>

#include "core/duration.hpp"

namespace spotctl::http {

struct Request {
    std::string url;
    Millis timeout{3000};
    std::string ca_file;   // trust this CA bundle instead of the system's
    bool verify_tls = true;
    std::size_t max_body = 1 << 20;  // read at most this much of the body
};

struct Response {
    bool ok = false;          // a response arrived (any status)
    long status = 0;
    std::string body;
    double total_ms = 0;
    std::optional<long> certificate_days_left;  // https only
    std::string error;        // when !ok: what went wrong (timeout, refused, TLS, ...)
    bool timed_out = false;
};

// Never throws for network trouble; that is in Response::error. Error(Exit::unavailable) when
// the module cannot be loaded.
Response get(const Request& request);

// The module's entry point (a spotctl_http_get_fn of core/module_abi.h), looked up by this name.
inline constexpr const char* module_file = "spotctl-http.so";
inline constexpr const char* get_entry = "spotctl_http_get";

}  // namespace spotctl::http
