// The HTTP module (spotctl-http.so): the only code that links libcurl. See core/http.hpp.
#include "core/http.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <curl/curl.h>
#include <mutex>

#include "core/module.hpp"
#include "core/module_abi.h"

namespace spotctl::http {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
    std::string* body;
    std::size_t max;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    std::size_t n = size * count;
    std::size_t room = sink->max > sink->body->size() ? sink->max - sink->body->size() : 0;
    sink->body->append(data, std::min(n, room));
    return n;  // keep reading (and discarding) past the limit rather than failing
}

// "Expire date" of the first certificate in the chain, as curl reports it: "Jan  1 00:00:00 2027 GMT".
std::optional<long> days_left(CURL* curl) {
    curl_certinfo* info = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || !info || info->num_of_certs < 1) return std::nullopt;
    for (curl_slist* s = info->certinfo[0]; s; s = s->next) {
        std::string line = s->data;
        const std::string key = "Expire date:";
        if (line.rfind(key, 0) != 0) continue;
        time_t expires = curl_getdate(line.substr(key.size()).c_str(), nullptr);
        if (expires <= 0) return std::nullopt;
        return static_cast<long>((expires - std::time(nullptr)) / 86400);
    }
    return std::nullopt;
}

void perform(const Request& request, Response& r) {
    global_init();
    CURL* curl = curl_easy_init();
    if (!curl) {
        // GCOVR_EXCL_START: curl_easy_init fails only when it cannot allocate (global_init ran)
        r.error = "cannot initialise libcurl";
        return;
        // GCOVR_EXCL_STOP
    }
    Sink sink{&r.body, request.max_body};
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: probes run in threads
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "spotctl-health");
    curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
    if (!request.verify_tls) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode code = curl_easy_perform(curl);
    double total = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &total);
    r.total_ms = total * 1000.0;
    if (code == CURLE_OK) {
        r.ok = true;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
        r.certificate_days_left = days_left(curl);
    } else {
        r.timed_out = code == CURLE_OPERATION_TIMEDOUT;
        r.error = error[0] ? error : curl_easy_strerror(code);  // the caller scrubs secrets from it
    }
    curl_easy_cleanup(curl);
}

}  // namespace

}  // namespace spotctl::http

extern "C" void spotctl_http_get(const spotctl_http_request* in, spotctl_write_fn body, void* body_context,
                                 spotctl_http_response* out) {
    *out = spotctl_http_response{};
    try {
        spotctl::http::Request request;
        request.url = in->url;
        request.timeout = spotctl::Millis(in->timeout_ms);
        request.ca_file = in->ca_file;
        request.verify_tls = in->verify_tls != 0;
        request.max_body = in->max_body;
        spotctl::http::Response response;
        spotctl::http::perform(request, response);
        out->ok = response.ok ? 1 : 0;
        out->status = response.status;
        out->total_ms = response.total_ms;
        out->has_certificate_days = response.certificate_days_left ? 1 : 0;
        out->certificate_days_left = response.certificate_days_left.value_or(0);
        out->timed_out = response.timed_out ? 1 : 0;
        (void)std::snprintf(out->error, sizeof out->error, "%s", response.error.c_str());
        if (!response.body.empty()) body(body_context, response.body.data(), response.body.size());
    } catch (const std::exception& e) {  // out of memory: no C++ exception may leave the module
        // GCOVR_EXCL_START: only std::bad_alloc from the copies above can reach here
        out->ok = 0;
        (void)std::snprintf(out->error, sizeof out->error, "%s", e.what());
        // GCOVR_EXCL_STOP
    }
}
[[maybe_unused]] static constexpr spotctl_http_get_fn spotctl_http_get_matches_its_type = &spotctl_http_get;

SPOTCTL_MODULE_VERSION

