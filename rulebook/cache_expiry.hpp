#pragma once
// Which cache namespaces must never hold a key without a TTL: those with a default TTL, and
// sessions, which carry their own (the session's expiry) although they have no default. A key
// of these namespaces that lives forever outlives the data it copies.
#include "rulebook/cache_keys.hpp"

namespace spotctl::rulebook {

inline constexpr std::string_view session_namespace = "session";

inline bool must_expire(const Namespace& ns) { return ns.ttl().has_value() || ns.name() == session_namespace; }

}  // namespace spotctl::rulebook
