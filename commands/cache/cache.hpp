#pragma once
// `spotctl cache`: the Redis cache the Spot servers keep, by the namespaces of the key
// registry (rulebook/cache_keys). Each subcommand takes plain options and a Context.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/cache_keys.hpp"
#include "core/context.hpp"
#include "core/duration.hpp"

namespace spotctl::cache {

// The registry's types, by their short names inside the cache commands.
using rulebook::Entity, rulebook::entity_name, rulebook::parse_entity, rulebook::Namespace, rulebook::Registry,
    rulebook::glob_escape, rulebook::validate_glob, rulebook::glob_matches_everything;

// How a long scan runs: SCAN COUNT, a pace, a time limit, and where to resume.
struct ScanLimits {
    long count = 500;
    std::optional<double> rate;  // keys per second
    std::optional<Millis> max_runtime;
    std::string cursor;          // --cursor: a token printed by a run that stopped early
};

struct PurgeOptions {
    std::string ns;       // a namespace of the registry ...
    std::string pattern;  // ... or a Redis glob ...
    bool all = false;     // ... or every key (needs yes)
    bool yes = false;
    bool dry_run = false;
    bool no_lock = false;  // skip the "cache-purge" single-run lock (it needs PostgreSQL)
    ScanLimits limits;
};

struct InvalidateOptions {
    Entity entity = Entity::none;
    std::string id;  // a UUID
    bool dry_run = false;
    long count = 500;
};

struct FixTtlOptions {
    std::string ns;
    std::optional<std::chrono::seconds> ttl;  // default: the namespace's
    bool dry_run = false;
    ScanLimits limits;
};

// The registry: name, pattern, entity, default TTL and where each comes from. No Redis needed.
int namespaces(Context& ctx);
// Keys, keys without a TTL and memory per namespace, plus unknown keys.
int stats(Context& ctx, long count);
int purge(Context& ctx, const PurgeOptions& options);
int invalidate(Context& ctx, const InvalidateOptions& options);
int fix_ttl(Context& ctx, const FixTtlOptions& options);

// What removing one entity's keys found in one namespace.
struct EntityKeysRemoved {
    std::string ns;
    std::string keys;  // the exact key, or the glob scanned
    std::uint64_t found = 0;
    std::uint64_t removed = 0;
};
// Removes (or with dry_run only counts) every key the registry says belongs to charger or user
// `id`: what `cache invalidate` does, and what account actions (suspend, ban, erase) call after
// their transaction commits. `id` must be a UUID (Error(Exit::usage) otherwise).
std::vector<EntityKeysRemoved> remove_entity_keys(Context& ctx, Entity entity, const std::string& id, bool dry_run,
                                                  long count = 500);
// Removes (or counts) the cached sessions keyed by these user_sessions.token_hash values
// (rulebook::session_key): the sessions an account action revoked or deleted.
EntityKeysRemoved remove_session_keys(Context& ctx, const std::vector<std::string>& token_hashes, bool dry_run);

}  // namespace spotctl::cache
