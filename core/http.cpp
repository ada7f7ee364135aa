#include "core/http.hpp"

#include "core/module.hpp"
#include "core/redact.hpp"

namespace spotctl::http {

Response get(const Request& request) {
    static const auto entry = reinterpret_cast<GetEntry>(module_symbol(module_file, get_entry, "HTTP probing"));
    Response r;
    entry(request, r);
    r.error = scrub_secrets(r.error);
    return r;
}

}  // namespace spotctl::http
