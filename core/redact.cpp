#include "core/redact.hpp"

#include <mutex>
#include <regex>
#include <vector>

namespace spotctl {
namespace {

std::mutex secrets_mutex;
std::vector<std::string>& secrets() {
    static std::vector<std::string> list;
    return list;
}

// scheme://user:password@host  ->  scheme://user:****@host. The user part may hold a '/',
// which no parser takes for user information: better to hide too much than a mistyped password.
const std::regex& userinfo_password() {
    static const std::regex re(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:@\s]*:)([^@\s]*)@)");
    return re;
}
// redis://secret@host: for Redis a userinfo without a colon is a password (as redis-cli -u takes it).
const std::regex& redis_bare_password() {
    static const std::regex re(R"(((?:redis|unix)://)([^:/@\s]+)@)", std::regex::icase);
    return re;
}
// password=... or sslpassword=... in a libpq key=value string, where a value runs to the next
// space unless quoted (so it may hold '&')...
const std::regex& keyword_password() {
    static const std::regex re(R"(((?:^|\s)(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))", std::regex::icase);
    return re;
}
// ... and in a URL's query, where '&' ends it.
const std::regex& query_password() {
    static const std::regex re(R"(([?&](?:ssl)?password=)([^\s&#]*))", std::regex::icase);
    return re;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string out = std::regex_replace(std::string(url), userinfo_password(), "$1****@");
    out = std::regex_replace(out, redis_bare_password(), "$1****@");
    out = std::regex_replace(out, keyword_password(), "$1****");
    return std::regex_replace(out, query_password(), "$1****");
}

void register_secret(std::string_view secret) {
    if (secret.size() < 3) return;  // too short to scrub without mangling ordinary text
    std::lock_guard lock(secrets_mutex);
    for (const auto& s : secrets())
        if (s == secret) return;
    secrets().emplace_back(secret);
}

std::string scrub_secrets(std::string_view text) {
    std::string out = redact_url(text);
    std::lock_guard lock(secrets_mutex);
    for (const auto& secret : secrets()) {
        for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 4))
            out.replace(pos, secret.size(), "****");
    }
    return out;
}

}  // namespace spotctl
