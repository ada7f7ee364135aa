#include "core/redact.hpp"

#include <mutex>
#include <cctype>
#include <utility>
#include <vector>

namespace spotctl {
namespace {

std::mutex secrets_mutex;
std::vector<std::string>& secrets() {
    static std::vector<std::string> list;
    return list;
}

// Hand-written scanners rather than std::regex: libstdc++'s regex recurses once per character
// and overflowed the stack on a 100 kB argument quoted in an error message. Each pass is linear.

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_scheme_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '-'; }

// Case-insensitive: does `text` hold `word` at `pos`?
bool has_at(std::string_view text, std::size_t pos, std::string_view word) {
    if (pos + word.size() > text.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
    return true;
}

// Copies `text`, replacing each value that `find` locates with ****. `find(text, from)` returns
// the [begin, end) of the next value at or after `from`, or npos as begin when there is none.
template <class Find>
std::string replace_values(std::string_view text, Find find) {
    std::string out;
    std::size_t copied = 0;
    for (std::size_t from = 0;;) {
        auto [begin, end] = find(text, from);
        if (begin == std::string_view::npos) break;
        out.append(text.substr(copied, begin - copied));
        out += "****";
        copied = from = end;
    }
    out.append(text.substr(copied));
    return out;
}

using Span = std::pair<std::size_t, std::size_t>;
constexpr Span none{std::string_view::npos, std::string_view::npos};

// scheme://user:password@host: the password. The user part may hold a '/', which no parser
// takes for user information: better to hide too much than a mistyped password.
Span userinfo_password(std::string_view t, std::size_t from) {
    for (auto p = t.find("://", from); p != std::string_view::npos; p = t.find("://", p + 1)) {
        bool letter = false;
        for (std::size_t s = p; s > 0 && is_scheme_char(t[s - 1]); --s) letter = letter || std::isalpha(static_cast<unsigned char>(t[s - 1]));
        if (!letter) continue;
        std::size_t q = p + 3;
        while (q < t.size() && t[q] != ':' && t[q] != '@' && !is_space(t[q])) ++q;
        if (q >= t.size() || t[q] != ':') continue;
        std::size_t v = q + 1, e = v;
        while (e < t.size() && t[e] != '@' && !is_space(t[e])) ++e;
        if (e < t.size() && t[e] == '@') return {v, e};
    }
    return none;
}

// redis://secret@host: for Redis a userinfo without a colon is a password (as redis-cli -u takes it).
Span redis_bare_password(std::string_view t, std::size_t from) {
    for (auto p = t.find("://", from); p != std::string_view::npos; p = t.find("://", p + 1)) {
        if (!(p >= 5 && has_at(t, p - 5, "redis")) && !(p >= 4 && has_at(t, p - 4, "unix"))) continue;
        std::size_t v = p + 3, e = v;
        while (e < t.size() && t[e] != ':' && t[e] != '/' && t[e] != '@' && !is_space(t[e])) ++e;
        if (e > v && e < t.size() && t[e] == '@') return {v, e};
    }
    return none;
}

// password=... or sslpassword=... in a libpq key=value string, where a value runs to the next
// space unless quoted (so it may hold '&').
Span keyword_password(std::string_view t, std::size_t from) {
    for (std::size_t i = from; i < t.size(); ++i) {
        if (i > 0 && !is_space(t[i - 1])) continue;
        std::size_t k = i;
        if (has_at(t, k, "ssl")) k += 3;
        if (!has_at(t, k, "password")) continue;
        k += 8;
        while (k < t.size() && is_space(t[k])) ++k;
        if (k >= t.size() || t[k] != '=') continue;
        ++k;
        while (k < t.size() && is_space(t[k])) ++k;
        if (k < t.size() && t[k] == '\'') {
            for (std::size_t e = k + 1; e < t.size(); ++e) {
                if (t[e] == '\\' && e + 1 < t.size()) ++e;
                else if (t[e] == '\'') return {k, e + 1};
            }
        }
        std::size_t e = k;
        while (e < t.size() && !is_space(t[e])) ++e;
        return {k, e};
    }
    return none;
}

// ... and in a URL's query, where '&' ends it.
Span query_password(std::string_view t, std::size_t from) {
    for (std::size_t i = from; i < t.size(); ++i) {
        if (t[i] != '?' && t[i] != '&') continue;
        std::size_t k = i + 1;
        if (has_at(t, k, "ssl")) k += 3;
        if (!has_at(t, k, "password=")) continue;
        std::size_t v = k + 9, e = v;
        while (e < t.size() && !is_space(t[e]) && t[e] != '&' && t[e] != '#') ++e;
        return {v, e};
    }
    return none;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string out = replace_values(url, userinfo_password);
    out = replace_values(out, redis_bare_password);
    out = replace_values(out, keyword_password);
    return replace_values(out, query_password);
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
