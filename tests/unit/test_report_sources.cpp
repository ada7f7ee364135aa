#include <catch2/catch.hpp>

#include "commands/report/catalog.hpp"
#include "commands/report/sources.hpp"

using namespace spotctl::report;

TEST_CASE("report sources: every report names the tables its window reads", "[report]") {
    for (const auto& r : reports()) {
        INFO(r.name);
        CHECK_FALSE(sources_of(r.name).empty());
    }
    CHECK(sources_of("no-such-report").empty());
}
