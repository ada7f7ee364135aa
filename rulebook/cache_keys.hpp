#pragma once
// The Redis key namespaces the Spot servers cache under, in one place: name, key pattern,
// owning entity and default TTL. `spotctl cache` reads it to count, purge and fix keys, and
// any command that changes a charger or a user (moderation) reads it to drop that entity's
// keys. The configuration file extends it ([cache.namespaces.NAME] pattern/ttl/entity).
//
// A pattern is literal text with placeholders in braces: "user:{id}:profile". A placeholder
// stands for one or more characters other than ':'; "{id}" is the owning entity's id.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl {
class Config;
}

namespace spotctl::rulebook {

enum class Entity { none, charger, user };

// "charger", "user", "none"; Error(Exit::usage) naming `what` for anything else.
Entity parse_entity(std::string_view text, std::string_view what);
std::string_view entity_name(Entity entity);

class Namespace {
public:
    // Error(Exit::config) naming `where` when the pattern is malformed.
    Namespace(std::string name, std::string pattern, Entity entity, std::optional<std::chrono::seconds> ttl,
              std::string where = "built in");

    const std::string& name() const { return name_; }
    const std::string& pattern() const { return pattern_; }
    Entity entity() const { return entity_; }
    const std::optional<std::chrono::seconds>& ttl() const { return ttl_; }
    // "built in", or the configuration file and line that defined or changed it.
    const std::string& source() const { return source_; }

    // A Redis glob (for SCAN MATCH) that matches every key of the namespace, and maybe more:
    // "user:*:profile". Filter SCAN's keys with matches().
    std::string glob() const;
    // Whether `key` belongs to the namespace (placeholders do not match ':').
    bool matches(std::string_view key) const;

    // The namespace's keys that belong to entity `id`: with "{id}" as the only placeholder the
    // one exact key; with others too, a glob (to filter with matches() as well); without "{id}"
    // (say, cached lists that may contain the entity) the whole namespace's glob.
    struct EntityKeys {
        std::optional<std::string> exact_key;
        std::string glob;  // when exact_key is empty
    };
    EntityKeys keys_of(std::string_view id) const;

private:
    struct Part {
        std::string text;  // literal text, or the placeholder's name
        bool placeholder;
    };

    std::string name_;
    std::string pattern_;
    Entity entity_;
    std::optional<std::chrono::seconds> ttl_;
    std::string source_;
    std::vector<Part> parts_;
};

class Registry {
public:
    // The servers' namespaces (the platform's Cache Strategy plus session and rate-limit keys).
    static Registry builtin();
    // builtin() extended and overridden by [cache.namespaces.NAME] tables of the configuration:
    // a new name needs a pattern; a built-in name may change any of pattern, ttl and entity.
    // ttl is a duration ("5m", or a number of seconds), or 0 for none. Error(Exit::config)
    // naming the file and line for a bad entry.
    static Registry from_config(const Config& config);

    const std::vector<Namespace>& namespaces() const { return namespaces_; }
    const Namespace* find(std::string_view name) const;
    // Error(Exit::usage) listing the known names when there is no such namespace.
    const Namespace& get(std::string_view name) const;
    // The first namespace the key belongs to (built-in ones first), or nullptr for an unknown key.
    const Namespace* classify(std::string_view key) const;
    // The namespaces owned by an entity type (invalidation after an admin change).
    std::vector<const Namespace*> owned_by(Entity entity) const;

private:
    std::vector<Namespace> namespaces_;
};

// The key a session is cached under: "session:{token_hash}", with user_sessions.token_hash
// (lower-case hex SHA-256 of the bearer token), so an account action can find and drop the
// cached sessions of the user's rows.
std::string session_key(std::string_view token_hash);

// Escapes Redis glob characters (* ? [ ] \) so the text matches only itself.
std::string glob_escape(std::string_view text);
// Error(Exit::usage) when `glob` is empty, has an unterminated [ or a trailing backslash, or
// holds a control character.
void validate_glob(std::string_view glob);
// Whether a glob matches every key (or every non-empty one): only wildcards and at least one '*'.
bool glob_matches_everything(std::string_view glob);

}  // namespace spotctl::rulebook
