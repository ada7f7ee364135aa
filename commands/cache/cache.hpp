#pragma once
// `spotctl cache`: the Redis cache the Spot servers keep, by the namespaces of the key
// registry (core/cache_registry). Each subcommand takes plain options and a Context.
#include <chrono>
#include <optional>
#include <string>

#include "core/cache_registry.hpp"
#include "core/context.hpp"
#include "core/duration.hpp"

namespace spotctl::cache {

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

}  // namespace spotctl::cache
