// Pure logic of spotctl fraud: threshold values and NAME=VALUE overrides, thresholds from the
// configuration file, the rule catalog, and folding alerts into a risk score.
#include <catch2/catch.hpp>

#include "commands/fraud/risk_fold.hpp"
#include "commands/fraud/rules.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl;
using namespace spotctl::fraud;
using spotctl::test::TempDir;

namespace {
Exit code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return Exit::ok;
}
}  // namespace

TEST_CASE("threshold values are finite non-negative numbers", "[fraud]") {
    REQUIRE(parse_threshold_value("5") == 5.0);
    REQUIRE(parse_threshold_value("0.75") == 0.75);
    REQUIRE(parse_threshold_value("0") == 0.0);
    REQUIRE(parse_threshold_value("1e2") == 100.0);
    REQUIRE_FALSE(parse_threshold_value(""));
    REQUIRE_FALSE(parse_threshold_value("-1"));
    REQUIRE_FALSE(parse_threshold_value("5x"));
    REQUIRE_FALSE(parse_threshold_value(" 5"));
    REQUIRE_FALSE(parse_threshold_value("nan"));
    REQUIRE_FALSE(parse_threshold_value("inf"));
}

TEST_CASE("NAME=VALUE threshold overrides are parsed or refused with exit 64", "[fraud]") {
    auto [name, value] = parse_threshold_assignment("max_failures=4", "--threshold");
    REQUIRE(name == "max_failures");
    REQUIRE(value == 4.0);
    REQUIRE(parse_threshold_assignment("min_share=0.5", "--threshold").second == 0.5);
    REQUIRE(code_of([] { parse_threshold_assignment("max_failures", "--threshold"); }) == Exit::usage);
    REQUIRE(code_of([] { parse_threshold_assignment("=4", "--threshold"); }) == Exit::usage);
    REQUIRE(code_of([] { parse_threshold_assignment("max_failures=four", "--threshold"); }) == Exit::usage);
    REQUIRE(code_of([] { parse_threshold_assignment("max_failures=-4", "--threshold"); }) == Exit::usage);
}

TEST_CASE("thresholds come from defaults, then [fraud.RULE] in the file, then overrides", "[fraud]") {
    const Rule& bf = find_rule("brute_force");
    REQUIRE(resolve_thresholds(bf, Config()) == std::vector<double>{5, 15});
    TempDir dir;
    auto config = Config::load(dir.write("c.toml", "[fraud.brute_force]\nmax_failures = 6\n[fraud.card_sharing]\nmin-refund-rate = 0.4\n").string());
    REQUIRE(resolve_thresholds(bf, config) == std::vector<double>{6, 15});
    REQUIRE(resolve_thresholds(bf, config, {"window_minutes=30"}) == std::vector<double>{6, 30});
    REQUIRE(resolve_thresholds(bf, config, {"max_failures=3"}) == std::vector<double>{3, 15});
    REQUIRE(resolve_thresholds(find_rule("card_sharing"), config)[2] == 0.4);
    REQUIRE(code_of([&] { resolve_thresholds(bf, config, {"max_fail=3"}); }) == Exit::usage);

    auto unknown = Config::load(dir.write("u.toml", "[fraud.brute_force]\nmax_fails = 6\n").string());
    REQUIRE(code_of([&] { resolve_thresholds(bf, unknown); }) == Exit::config);
    auto negative = Config::load(dir.write("n.toml", "[fraud.brute_force]\nmax_failures = -1\n").string());
    REQUIRE(code_of([&] { resolve_thresholds(bf, negative); }) == Exit::config);
    auto text = Config::load(dir.write("t.toml", "[fraud.brute_force]\nmax_failures = \"many\"\n").string());
    REQUIRE(code_of([&] { resolve_thresholds(bf, text); }) == Exit::config);
}

TEST_CASE("the catalog has the eight rules and selects them by name in catalog order", "[fraud]") {
    REQUIRE(rules().size() == 8);
    auto chosen = select_rules({"blacklisted_ip", "brute_force", "brute_force"});
    REQUIRE(chosen.size() == 2);
    REQUIRE(chosen[0]->name == "brute_force");
    REQUIRE(chosen[1]->name == "blacklisted_ip");
    REQUIRE(select_rules({}).size() == 8);
    REQUIRE(code_of([] { find_rule("nope"); }) == Exit::usage);
    for (const auto& r : rules()) {
        INFO(r.name);
        REQUIRE_FALSE(r.thresholds.empty());
        REQUIRE_FALSE(r.explanation.empty());
    }
}

TEST_CASE("alerts fold into a risk score: strongest per rule, weighted by status, combined like probabilities", "[fraud]") {
    REQUIRE(fold_risk({}) == 0.0);
    REQUIRE(fold_risk({{"a", 0.5}, {"b", 0.5}}) == Approx(0.75));
    REQUIRE(fold_risk({{"a", 1.0}, {"b", 0.3}}) == Approx(1.0));
    REQUIRE(fold_risk({{"a", 1.7}}) == Approx(1.0));
    auto factors = risk_factors({{"brute_force", 0.6, "open"},
                                 {"brute_force", 0.9, "open"},
                                 {"card_sharing", 0.8, "confirmed"},
                                 {"self_dealing", 1.0, "dismissed"}});
    REQUIRE(factors.size() == 2);
    REQUIRE(factors["brute_force"] == Approx(0.9 * open_weight));
    REQUIRE(factors["card_sharing"] == Approx(0.8));
    REQUIRE(fold_risk(factors) == Approx(1 - (1 - 0.9 * open_weight) * (1 - 0.8)));
    REQUIRE(format_threshold(5) == "5");
    REQUIRE(format_threshold(0.75) == "0.75");
}
