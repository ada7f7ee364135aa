#pragma once
// The demo data set (seeds/), loaded as `spotctl seed load` loads it, for tests that act on it
// the way a new member of staff would.
#include "support/harness.hpp"

namespace spotctl::test {

// Loads seeds/ into `db`, which has the platform schema.
void load_demo_seeds(const TempDatabase& db);

}  // namespace spotctl::test
