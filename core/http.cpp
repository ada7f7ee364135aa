#include "core/http.hpp"

#include "core/module.hpp"
#include "core/module_abi.h"
#include "core/redact.hpp"

namespace spotctl::http {

namespace {
int append_body(void* context, const char* data, std::size_t size) {
    static_cast<std::string*>(context)->append(data, size);
    return 0;
}
}  // namespace

Response get(const Request& request) {
    static const auto entry = reinterpret_cast<spotctl_http_get_fn>(module_symbol(module_file, get_entry, "HTTP probing"));
    spotctl_http_request in{request.url.c_str(), static_cast<long>(request.timeout.count()), request.ca_file.c_str(),
                            request.verify_tls ? 1 : 0, request.max_body};
    spotctl_http_response out{};
    Response r;
    entry(&in, append_body, &r.body, &out);
    r.ok = out.ok != 0;
    r.status = out.status;
    r.total_ms = out.total_ms;
    if (out.has_certificate_days) r.certificate_days_left = out.certificate_days_left;
    r.timed_out = out.timed_out != 0;
    r.error = scrub_secrets(out.error);
    return r;
}

}  // namespace spotctl::http
