// doctor's schema comparison: what the live catalog has that the migrations' lacks, the reverse,
// and objects defined differently, each named once.
#include <catch2/catch.hpp>

#include "commands/doctor/catalog.hpp"
#include "commands/doctor/checks.hpp"
#include "commands/doctor/repairs.hpp"

using namespace spotctl::doctor;

TEST_CASE("compare_catalogs names extra, missing and changed objects", "[doctor][unit]") {
    Catalog expected = {{"index public.a", "CREATE INDEX a ON public.t USING btree (x)"},
                        {"table public.t", ""},
                        {"trigger public.t.g", "CREATE TRIGGER g ..."}};
    Catalog live = {{"index public.a", "CREATE INDEX a ON public.t USING btree (y)"},
                    {"table public.t", ""},
                    {"index public.b", "CREATE INDEX b ON public.t USING btree (x)"}};
    auto drift = compare_catalogs(expected, live);
    CHECK(drift == std::vector<std::string>{"changed index public.a", "missing trigger public.t.g", "extra index public.b"});
    CHECK(compare_catalogs(expected, expected).empty());
}

TEST_CASE("finding_of sorts, removes repeats and keeps the first ids as its sample", "[doctor][unit]") {
    std::vector<std::string> ids;
    for (int i = 30; i > 0; --i) ids.push_back("k" + std::to_string(100 + i));
    ids.push_back("k101");
    auto f = finding_of(ids, "note");
    CHECK(f.rows == 30);
    REQUIRE(f.sample.size() == sample_size);
    CHECK(f.sample.front() == "k101");
    CHECK(f.sample.back() == "k110");
    CHECK(f.note == "note");
    CHECK_FALSE(f.skipped);
}

TEST_CASE("every check has a name, an area, what it finds, and a repair or what a person decides", "[doctor][unit]") {
    for (const auto& c : all_checks()) {
        INFO(c.name);
        CHECK(!c.area.empty());
        CHECK(!c.finds.empty());
        CHECK((!c.repair.empty() || !c.decide.empty()));
        // --list promises a repair exactly where --repair has one.
        CHECK((find_repair(c.name) != nullptr) == !c.repair.empty());
        CHECK(&find_check(c.name) == &c);
    }
    CHECK_THROWS_WITH(find_check("nope"), "unknown check 'nope'");
}
