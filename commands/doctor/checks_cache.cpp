// Sessions and cache: what Redis still holds that PostgreSQL says is gone or changed.
#include "commands/doctor/cache_findings.hpp"
#include "commands/doctor/checks.hpp"

namespace spotctl::doctor {
namespace {

Check key_check(std::string name, std::string finds, std::string repair, cache_keys::Found (*find)(Environment&)) {
    return {std::move(name), "cache", std::move(finds), std::move(repair), "", false, [find](Environment& env) {
                auto found = find(env);
                return finding_of(std::move(found.keys), std::move(found.note));
            },
            {}};
}

}  // namespace

std::vector<Check> cache_checks() {
    return {
        key_check("dead_sessions", "cached sessions (session:{token_hash}) whose user_sessions row is revoked, expired or gone",
                  "unlinks those keys, so the servers stop honouring the session", cache_keys::dead_sessions),
        key_check("keys_without_ttl", "keys with no TTL in namespaces that must expire (a default TTL, or sessions)",
                  "unlinks those keys (the servers cache them again, with a TTL)", cache_keys::without_ttl),
        key_check("stale_charger_cache",
                  "charger:{id} values whose cached updated_at is older than the charger row's, or whose charger is gone",
                  "unlinks those keys (the next read caches the row as it is)", cache_keys::stale_chargers),
    };
}

}  // namespace spotctl::doctor
