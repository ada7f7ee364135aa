#include "rulebook/cache_keys.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/config.hpp"
#include "core/duration.hpp"
#include "core/errors.hpp"

namespace spotctl::rulebook {

Entity parse_entity(std::string_view text, std::string_view what) {
    if (text == "charger") return Entity::charger;
    if (text == "user") return Entity::user;
    if (text == "none" || text.empty()) return Entity::none;
    throw Error(Exit::usage, fmt::format("invalid entity '{}' for {}", text, what), "use charger, user or none");
}

std::string_view entity_name(Entity entity) {
    switch (entity) {
        case Entity::charger: return "charger";
        case Entity::user: return "user";
        case Entity::none: break;
    }
    return "none";
}

// ---- patterns -------------------------------------------------------------------

Namespace::Namespace(std::string name, std::string pattern, Entity entity, std::optional<std::chrono::seconds> ttl,
                     std::string where)
    : name_(std::move(name)), pattern_(std::move(pattern)), entity_(entity), ttl_(ttl), source_(std::move(where)) {
    auto bad = [&](std::string_view why) {
        return Error(Exit::config, fmt::format("{}: invalid key pattern '{}' for cache namespace '{}': {}", source_, pattern_,
                                               name_, why),
                     "write literal text with placeholders in braces, such as user:{id}:profile");
    };
    if (pattern_.empty()) throw bad("it is empty");
    std::size_t i = 0;
    while (i < pattern_.size()) {
        if (pattern_[i] == '}') throw bad("'}' without '{'");
        if (pattern_[i] == '{') {
            auto close = pattern_.find('}', i);
            if (close == std::string::npos) throw bad("unterminated '{'");
            std::string placeholder = pattern_.substr(i + 1, close - i - 1);
            if (placeholder.empty() || placeholder.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") != std::string::npos)
                throw bad(fmt::format("placeholder '{{{}}}' must be lower-case letters, digits and '_'", placeholder));
            if (!parts_.empty() && parts_.back().placeholder) throw bad("two placeholders need literal text between them");
            parts_.push_back({placeholder, true});
            i = close + 1;
            continue;
        }
        auto next = pattern_.find_first_of("{}", i);
        std::string literal = pattern_.substr(i, next == std::string::npos ? std::string::npos : next - i);
        if (literal.find_first_of("*?[]\\") != std::string::npos) throw bad("glob characters (* ? [ ] \\) are not allowed");
        parts_.push_back({literal, false});
        i += literal.size();
    }
}

std::string Namespace::glob() const {
    std::string out;
    for (const auto& p : parts_) out += p.placeholder ? "*" : glob_escape(p.text);
    return out;
}

// The positions of `key` reachable after each part, left to right: linear in the key per part.
// (A backtracking matcher took exponential time on patterns with many placeholders, which
// fuzz_cache_pattern found: a purge tests every key it scans.)
bool Namespace::matches(std::string_view key) const {
    std::vector<char> at(key.size() + 1, 0), next(key.size() + 1, 0);
    at[0] = 1;
    for (const auto& part : parts_) {
        std::fill(next.begin(), next.end(), 0);
        bool any = false;
        if (!part.placeholder) {
            for (std::size_t i = 0; i + part.text.size() <= key.size(); ++i)
                if (at[i] && key.compare(i, part.text.size(), part.text) == 0) next[i + part.text.size()] = any = true;
        } else {
            // One or more characters other than ':' from any reachable position.
            bool open = false;
            for (std::size_t j = 0; j < key.size(); ++j) {
                if (at[j]) open = true;
                if (key[j] == ':') open = false;
                else if (open) next[j + 1] = any = true;
            }
        }
        if (!any) return false;
        at.swap(next);
    }
    return at[key.size()] != 0;
}

Namespace::EntityKeys Namespace::keys_of(std::string_view id) const {
    bool has_id = false, has_other = false;
    for (const auto& p : parts_) {
        if (!p.placeholder) continue;
        (p.text == "id" ? has_id : has_other) = true;
    }
    if (!has_id) return {std::nullopt, glob()};
    std::string key, glob_text;
    for (const auto& p : parts_) {
        if (!p.placeholder) {
            key += p.text;
            glob_text += glob_escape(p.text);
        } else if (p.text == "id") {
            key += id;
            glob_text += glob_escape(id);
        } else {
            glob_text += '*';
        }
    }
    if (!has_other) return {key, {}};
    return {std::nullopt, glob_text};
}

// ---- the registry -----------------------------------------------------------------

Registry Registry::builtin() {
    using std::chrono::seconds;
    Registry r;
    // The servers' Cache Strategy (key, TTL), and who owns each key.
    r.namespaces_.emplace_back("charger_detail", "charger:{id}", Entity::charger, seconds(300));
    r.namespaces_.emplace_back("charger_list", "chargers:list:{hash}", Entity::charger, seconds(60));
    r.namespaces_.emplace_back("user_profile", "user:{id}:profile", Entity::user, seconds(600));
    r.namespaces_.emplace_back("user_stats", "user:{id}:stats", Entity::user, seconds(300));
    r.namespaces_.emplace_back("verification_level", "charger:{id}:level", Entity::charger, seconds(180));
    // Sessions carry their own TTL (the session's expiry) and are keyed by the token hash that
    // user_sessions stores, so revoking a user's sessions finds their keys (session_key());
    // rate-limit windows are a minute.
    r.namespaces_.emplace_back("session", "session:{token_hash}", Entity::none, std::nullopt);
    r.namespaces_.emplace_back("rate_limit", "ratelimit:{scope}:{client}", Entity::none, seconds(60));
    return r;
}

Registry Registry::from_config(const Config& config) {
    Registry r = builtin();
    const std::string base = "cache.namespaces";
    for (const auto& name : config.keys(base)) {
        const std::string table = fmt::format("{}.{}", base, name);
        const std::string where = config.where(table);
        auto fail = [&](const std::string& why) { return Error(Exit::config, fmt::format("{}: [{}]: {}", where, table, why)); };
        if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
            throw fail("a namespace name is lower-case letters, digits, '_' and '-'");
        for (const auto& key : config.keys(table))
            if (key != "pattern" && key != "ttl" && key != "entity")
                throw fail(fmt::format("unknown key '{}' (expected pattern, ttl, entity)", key));
        if (config.keys(table).empty()) {
            bool scalar = false;
            try {
                scalar = !config.values(table).empty();
            } catch (const Error&) {
                // An empty table: nothing to change, or (for a new name) no pattern, caught below.
            }
            if (scalar) throw fail("must be a table with pattern, ttl and entity");
        }

        const Namespace* existing = r.find(name);
        auto pattern = config.value(table + ".pattern");
        if (!pattern && !existing) throw fail("a new namespace needs a pattern");

        std::optional<std::chrono::seconds> ttl = existing ? existing->ttl() : std::nullopt;
        if (auto text = config.value(table + ".ttl")) {
            Millis ms{0};
            try {
                ms = parse_duration(*text, "ttl");
            } catch (const Error&) {
                throw fail(fmt::format("invalid ttl '{}': use a duration such as 300s or 5m, or 0 for none", *text));
            }
            if (ms.count() % 1000 != 0) throw fail(fmt::format("ttl '{}' is not a whole number of seconds", *text));
            ttl = ms.count() == 0 ? std::nullopt : std::optional(std::chrono::seconds(ms.count() / 1000));
        }
        Entity entity = existing ? existing->entity() : Entity::none;
        if (auto text = config.value(table + ".entity")) {
            try {
                entity = parse_entity(*text, "entity");
            } catch (const Error&) {
                throw fail(fmt::format("invalid entity '{}': use charger, user or none", *text));
            }
        }
        // A missing pattern with no existing namespace was refused above.
        // cppcheck-suppress nullPointerRedundantCheck
        Namespace ns(name, pattern ? *pattern : existing->pattern(), entity, ttl, where);
        if (existing) {
            auto it = std::find_if(r.namespaces_.begin(), r.namespaces_.end(), [&](const Namespace& n) { return n.name() == name; });
            *it = std::move(ns);
        } else {
            r.namespaces_.push_back(std::move(ns));
        }
    }
    return r;
}

const Namespace* Registry::find(std::string_view name) const {
    for (const auto& n : namespaces_)
        if (n.name() == name) return &n;
    return nullptr;
}

const Namespace& Registry::get(std::string_view name) const {
    if (const Namespace* n = find(name)) return *n;
    std::string names;
    for (const auto& n : namespaces_) names += (names.empty() ? "" : ", ") + n.name();
    throw Error(Exit::usage, fmt::format("unknown cache namespace '{}'", name),
                fmt::format("known namespaces: {} (see 'spotctl cache namespaces'); or use --pattern GLOB", names));
}

const Namespace* Registry::classify(std::string_view key) const {
    for (const auto& n : namespaces_)
        if (n.matches(key)) return &n;
    return nullptr;
}

std::vector<const Namespace*> Registry::owned_by(Entity entity) const {
    std::vector<const Namespace*> out;
    for (const auto& n : namespaces_)
        if (n.entity() == entity && entity != Entity::none) out.push_back(&n);
    return out;
}

std::string session_key(std::string_view token_hash) { return fmt::format("session:{}", token_hash); }

// ---- globs ------------------------------------------------------------------------

std::string glob_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

void validate_glob(std::string_view glob) {
    auto bad = [&](std::string_view why) {
        return Error(Exit::usage, fmt::format("invalid pattern '{}': {}", glob, why),
                     "use a Redis glob: * any characters, ? one character, [abc] a set, \\ escapes the next character");
    };
    if (glob.empty()) throw bad("it is empty");
    for (std::size_t i = 0; i < glob.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(glob[i]);
        if (c < 0x20 || c == 0x7f) throw bad("it holds a control character");
        if (c == '\\') {
            if (i + 1 == glob.size()) throw bad("it ends with a lone backslash");
            ++i;
        } else if (c == '[') {
            std::size_t j = i + 1;
            if (j < glob.size() && glob[j] == '^') ++j;
            bool closed = false;
            for (; j < glob.size(); ++j) {
                if (glob[j] == '\\') {
                    ++j;
                } else if (glob[j] == ']') {
                    closed = true;
                    break;
                }
            }
            if (!closed) throw bad("'[' without ']'");
            i = j;
        }
    }
}

bool glob_matches_everything(std::string_view glob) {
    return glob.find('*') != std::string_view::npos && glob.find_first_not_of("*?") == std::string_view::npos &&
           std::count(glob.begin(), glob.end(), '?') <= 1;
}

}  // namespace spotctl::rulebook
