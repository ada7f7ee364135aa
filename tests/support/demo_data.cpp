#include "support/demo_data.hpp"

#include <catch2/catch.hpp>

namespace spotctl::test {

void load_demo_seeds(const TempDatabase& db) {
    auto load = run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", std::string(SPOTCTL_SOURCE_DIR) + "/seeds"});
    INFO(load.err);
    REQUIRE(load.exit_code == 0);
}

}  // namespace spotctl::test
