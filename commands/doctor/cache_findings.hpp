#pragma once
// The Redis checks' findings as full key lists (the checks show a sample, the repairs drop them
// all): cached sessions PostgreSQL no longer honours, keys without a TTL in namespaces that must
// expire, and charger:{id} values older than their row. Each is one SCAN over every node, with
// the lookups for a batch pipelined with it (commands/cache's scanner).
#include <string>
#include <vector>

#include "commands/doctor/checks.hpp"

namespace spotctl::doctor::cache_keys {

struct Found {
    std::vector<std::string> keys;
    std::string note;
};

// session:{token_hash} keys whose user_sessions row is revoked, expired or gone.
Found dead_sessions(Environment& env);
// Keys of namespaces that must expire (a default TTL, or sessions) that have no TTL.
Found without_ttl(Environment& env);
// charger:{id} values whose JSON updated_at is older than chargers.updated_at, whose charger is
// gone, or that carry no readable updated_at (their age cannot be known).
Found stale_chargers(Environment& env);

}  // namespace spotctl::doctor::cache_keys
