#include <catch2/catch.hpp>

#include <set>

#include "commands/report/catalog.hpp"
#include "commands/report/sources.hpp"

using namespace spotctl::report;

TEST_CASE("report sources: every report names the tables its window reads", "[report]") {
    // A snapshot of now has no window, so an empty result has nothing to explain.
    const std::set<std::string_view> snapshots = {"access-review"};
    for (const auto& r : reports()) {
        INFO(r.name);
        CHECK(sources_of(r.name).empty() == (snapshots.count(r.name) == 1));
    }
    CHECK(sources_of("no-such-report").empty());
}
