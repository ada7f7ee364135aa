#pragma once
// `spotctl rules`: prints the platform's rulebook (rulebook/), so documentation can point at
// one output and a test can hold the documents to it. No server is needed.
#include "core/context.hpp"

namespace spotctl::rules {

// One row per rule: rule kind (reward, redeem, derived, lifetime, cache_ttl, role), name, value
// and what it means.
int show(Context& ctx);

}  // namespace spotctl::rules
