// The rulebook against a real PostgreSQL: its SQL text computes what its C++ functions compute,
// and the demo data set and `seed generate` follow it (rewards, their subjects, trust_score,
// verification_level, session lifetime). doctor checks the same things on a live platform.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rulebook/cache_keys.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/lifetimes.hpp"
#include "rulebook/rewards.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";

// Reward rows whose amount is not the rulebook's amount for their action.
std::string wrong_amounts(TempDatabase& db) {
    return db.scalar(fmt::format("SELECT count(*) FROM coin_transactions t WHERE t.action IN ({}) AND t.amount <> {}",
                                 rulebook::reward_actions_sql(), rulebook::reward_amount_sql("t.action")));
}

// Reward rows whose subject_id names no row of the reward's subject table credited to the
// row's user, and subjects paid more than once.
std::string orphan_or_repeated_rewards(TempDatabase& db) {
    long long bad = 0;
    for (const auto& r : rulebook::rewards) {
        INFO(r.action);
        const std::string subject = rulebook::reward_subject_sql("t.metadata");
        auto orphans = db.scalar(fmt::format("SELECT count(*) FROM coin_transactions t WHERE t.action = '{}' AND NOT EXISTS "
                                             "(SELECT 1 FROM {} s WHERE s.id::text = {} AND s.{} = t.user_id)",
                                             r.action, r.subject_table, subject, r.beneficiary_column));
        auto repeated = db.scalar(fmt::format("SELECT count(*) FROM (SELECT {} FROM coin_transactions t WHERE t.action = '{}' "
                                              "GROUP BY 1 HAVING count(*) > 1) d",
                                              subject, r.action));
        CHECK(orphans == "0");
        CHECK(repeated == "0");
        bad += std::stoll(orphans) + std::stoll(repeated);
    }
    return std::to_string(bad);
}

std::string wrong_trust_scores(TempDatabase& db) {
    return db.scalar(fmt::format("SELECT count(*) FROM users u LEFT JOIN ({}) c ON c.user_id = u.id "
                                 "WHERE u.trust_score <> coalesce(c.trust_score, 0)",
                                 rulebook::contributions_sql()));
}

std::string wrong_verification_levels(TempDatabase& db) {
    return db.scalar(fmt::format("SELECT count(*) FROM chargers c LEFT JOIN ({}) v ON v.charger_id = c.id "
                                 "WHERE c.verification_level <> coalesce(v.verification_level, 0)",
                                 rulebook::verification_counts_sql()));
}

std::string sessions_too_long(TempDatabase& db) {
    return db.scalar(fmt::format("SELECT count(*) FROM user_sessions WHERE expires_at - created_at > {}",
                                 rulebook::interval_sql(rulebook::session_lifetime)));
}

void require_follows_rulebook(TempDatabase& db) {
    REQUIRE(std::stol(db.scalar(fmt::format("SELECT count(*) FROM coin_transactions WHERE action IN ({})",
                                            rulebook::reward_actions_sql()))) > 0);
    REQUIRE(wrong_amounts(db) == "0");
    REQUIRE(orphan_or_repeated_rewards(db) == "0");
    REQUIRE(wrong_trust_scores(db) == "0");
    REQUIRE(wrong_verification_levels(db) == "0");
    REQUIRE(sessions_too_long(db) == "0");
    // The rules are not vacuous here: scores, levels and full-length sessions occur.
    REQUIRE(db.scalar("SELECT count(*) > 0 FROM users WHERE trust_score > 0") == "t");
    REQUIRE(db.scalar("SELECT count(DISTINCT verification_level) >= 3 FROM chargers") == "t");
    REQUIRE(db.scalar(fmt::format("SELECT count(*) > 0 FROM user_sessions WHERE expires_at - created_at = {}",
                                  rulebook::interval_sql(rulebook::session_lifetime))) == "t");
}

}  // namespace

TEST_CASE("rulebook: the SQL text computes what the C++ functions compute", "[rulebook]") {
    TempDatabase db("spotctl_template");
    for (long a : {0L, 1L, 3L, 9L, 12L})
        for (long b : {0L, 1L, 4L, 5L, 60L})
            for (long c : {0L, 2L, 7L, 40L}) {
                INFO(a << " " << b << " " << c);
                REQUIRE(std::stol(db.scalar("SELECT " + rulebook::trust_score_sql(std::to_string(a), std::to_string(b), std::to_string(c)))) ==
                        rulebook::trust_score({a, b, c}));
            }
    for (long n = 0; n <= 20; ++n) {
        INFO(n);
        REQUIRE(std::stol(db.scalar("SELECT " + rulebook::verification_level_sql(std::to_string(n)))) == rulebook::verification_level(n));
    }
    for (const auto& r : rulebook::rewards)
        REQUIRE(std::stol(db.scalar(fmt::format("SELECT {}", rulebook::reward_amount_sql(fmt::format("'{}'::text", r.action))))) == r.coins);
    REQUIRE(db.scalar("SELECT extract(epoch FROM " + rulebook::interval_sql(rulebook::session_lifetime) + ")::bigint") ==
            std::to_string(std::chrono::seconds(rulebook::session_lifetime).count()));
    REQUIRE(db.scalar("SELECT extract(epoch FROM " + rulebook::interval_sql(rulebook::claim_lease) + ")::bigint") ==
            std::to_string(std::chrono::seconds(rulebook::claim_lease).count()));
}

TEST_CASE("rulebook: trust_score counts rewards that were not reversed", "[rulebook]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(R"(
INSERT INTO users (id, email, name) VALUES ('00000000-0000-4000-8000-00000000a001', 'a@example.com', 'A'),
                                           ('00000000-0000-4000-8000-00000000a002', 'b@example.com', 'B');
INSERT INTO coin_transactions (user_id, action, amount, metadata) VALUES
  ('00000000-0000-4000-8000-00000000a001', 'add_charger', 50, '{}'),
  ('00000000-0000-4000-8000-00000000a001', 'verify_charger', 5, '{}'),
  ('00000000-0000-4000-8000-00000000a001', 'upload_photo', 10, '{}'),
  ('00000000-0000-4000-8000-00000000a001', 'review', 10, '{}'),
  ('00000000-0000-4000-8000-00000000a002', 'verify_charger', 5, '{}'),
  ('00000000-0000-4000-8000-00000000a002', 'verify_charger', 5, '{}');
INSERT INTO coin_transactions (user_id, action, amount, reverses_id, metadata)
SELECT user_id, 'reversal', -amount, id, '{}' FROM coin_transactions
 WHERE user_id = '00000000-0000-4000-8000-00000000a002' ORDER BY id LIMIT 1;)");
    db.conn().exec(rulebook::recompute_trust_sql("SELECT id FROM users"));
    REQUIRE(db.scalar("SELECT trust_score FROM users WHERE email = 'a@example.com'") == "15.00");  // 10 + 2 + 3
    REQUIRE(db.scalar("SELECT trust_score FROM users WHERE email = 'b@example.com'") == "2.00");   // one of two reversed
}

TEST_CASE("rulebook: the demo data set follows the rulebook", "[rulebook][seed]") {
    TempDatabase db("spotctl_template");
    auto r = run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", demo_seeds});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    require_follows_rulebook(db);
}

TEST_CASE("rulebook: seed generate follows the rulebook", "[rulebook][seed][generate]") {
    TempDatabase db("spotctl_template");
    auto r = run_spotctl({"--database-url", db.url(), "seed", "generate", "--scale", "1", "--seed", "3"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    require_follows_rulebook(db);
}

namespace {

std::string source_file(const std::string& path) {
    std::ifstream in(std::string(SPOTCTL_SOURCE_DIR) + "/" + path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The line of `text` that starts with `start` (after leading blanks), or "".
std::string line_starting(const std::string& text, const std::string& start) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t") != std::string::npos && line.substr(line.find_first_not_of(" \t")).rfind(start, 0) == 0)
            return line;
    return "";
}

}  // namespace

TEST_CASE("rulebook: spotctl rules prints the rulebook, and the documents quote it", "[rulebook][docs]") {
    auto r = run_spotctl({"rules", "-o", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::string> value;  // "kind/name" -> value
    for (const auto& row : nlohmann::json::parse(r.out))
        value[row["rule"].get<std::string>() + "/" + row["name"].get<std::string>()] = row["value"].get<std::string>();
    const std::string seeds_readme = source_file("seeds/README.md"), readme = source_file("README.md"),
                      schema = source_file("docs/schema.md"), moderate_man = source_file("man/spotctl-moderate.1.scd"),
                      cache_man = source_file("man/spotctl-cache.1.scd");
    for (const auto& reward : rulebook::rewards) {
        INFO(reward.action);
        REQUIRE(value.at("reward/" + std::string(reward.action)) == std::to_string(reward.coins));
        CHECK(seeds_readme.find(fmt::format("`{}` +{}", reward.action, reward.coins)) != std::string::npos);
        if (reward.subject_type != "verification")  // the ones moderate pays
            CHECK(readme.find(fmt::format("`{}` {}", reward.action, reward.coins)) != std::string::npos);
    }
    REQUIRE(value.at("lifetime/session") == "7 days");
    CHECK(seeds_readme.find("session lifetime of " + value.at("lifetime/session")) != std::string::npos);
    REQUIRE(value.at("lifetime/claim_lease") == rulebook::duration_text(rulebook::claim_lease));
    CHECK(schema.find("a claim lease is " + value.at("lifetime/claim_lease")) != std::string::npos);
    CHECK(schema.find(rulebook::interval_sql(rulebook::claim_lease)) != std::string::npos);
    const std::string lease_flag = fmt::format("default {}m", rulebook::claim_lease.count());
    CHECK(moderate_man.find(lease_flag) != std::string::npos);
    CHECK(readme.find(lease_flag) != std::string::npos);
    CHECK(moderate_man.find("default 30m") == std::string::npos);
    // The undo window, as the README and the moderate man page quote it.
    const std::string undo_quote = "within " + rulebook::duration_text(rulebook::undo_window);
    CHECK(readme.find("undoes your last decision " + undo_quote) != std::string::npos);
    CHECK(moderate_man.find("decision on an item " + undo_quote) != std::string::npos);
    CHECK(source_file("man/spotctl.toml.5.scd").find(fmt::format("Default *\"{}m\"*", rulebook::claim_lease.count())) != std::string::npos);
    // The README's example is the command's whole output.
    auto table = run_spotctl({"rules"});
    REQUIRE(table.exit_code == 0);
    CHECK(readme.find("$ spotctl rules\n" + table.out + "```") != std::string::npos);
    // The cache namespaces in spotctl-cache(1) and the README's example.
    const rulebook::Registry registry = rulebook::Registry::builtin();
    for (const auto& ns : registry.namespaces()) {
        INFO(ns.name());
        REQUIRE(value.count("cache_ttl/" + ns.name()) == 1);
        std::string man_line = line_starting(cache_man, ns.name() + " ");
        CHECK(man_line.find(" " + ns.pattern() + " ") != std::string::npos);
        CHECK(man_line.find(ns.ttl() ? fmt::format(" {} s", ns.ttl()->count()) : " none") != std::string::npos);
        CHECK(line_starting(readme, ns.name() + " ").find(" " + ns.pattern() + " ") != std::string::npos);
    }
}
