#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "rulebook/derived_scores.hpp"
#include "rulebook/lifetimes.hpp"
#include "rulebook/rewards.hpp"
#include "rulebook/roles.hpp"

using namespace spotctl::rulebook;

TEST_CASE("rulebook rewards: one entry per action, with the platform's amounts", "[rulebook]") {
    CHECK(find_reward("add_charger")->coins == 50);
    CHECK(find_reward("verify_charger")->coins == 5);
    CHECK(find_reward("upload_photo")->coins == 10);
    CHECK(find_reward("review")->coins == 10);
    CHECK(find_reward("redeem") == nullptr);
    CHECK(find_reward("adjustment") == nullptr);
    CHECK(redeem_coupon_coins == 100);
    std::set<std::string_view> actions, types;
    for (const auto& r : rewards) {
        actions.insert(r.action);
        types.insert(r.subject_type);
        CHECK(r.coins > 0);
        CHECK(!r.paid_when.empty());
    }
    CHECK(actions.size() == rewards.size());
    CHECK(types.size() == rewards.size());
}

TEST_CASE("rulebook rewards: a moderation subject type leads to its reward", "[rulebook]") {
    CHECK(reward_for_subject("charger")->action == "add_charger");
    CHECK(reward_for_subject("photo")->action == "upload_photo");
    CHECK(reward_for_subject("review")->action == "review");
    CHECK(reward_for_subject("profile_change") == nullptr);
    CHECK(reward_for_subject("user") == nullptr);
}

TEST_CASE("rulebook rewards: SQL text is built from the constants", "[rulebook]") {
    CHECK(reward_actions_sql() == "'add_charger', 'verify_charger', 'upload_photo', 'review'");
    CHECK(reward_amount_sql("t.action") ==
          "CASE t.action WHEN 'add_charger' THEN 50 WHEN 'verify_charger' THEN 5 WHEN 'upload_photo' THEN 10 WHEN 'review' THEN 10 END");
    CHECK(reward_subject_sql("t.metadata") == "(t.metadata ->> 'subject_id')");
    CHECK(reward_metadata_sql("x.id") == "jsonb_build_object('subject_id', x.id)");
}

TEST_CASE("rulebook trust_score: 10 per charger, 2 per verification, 3 per photo, capped at 100", "[rulebook]") {
    CHECK(trust_score({}) == 0);
    CHECK(trust_score({1, 0, 0}) == 10);
    CHECK(trust_score({0, 1, 0}) == 2);
    CHECK(trust_score({0, 0, 1}) == 3);
    CHECK(trust_score({2, 5, 4}) == 20 + 10 + 12);
    CHECK(trust_score({9, 4, 0}) == 98);
    CHECK(trust_score({9, 5, 0}) == 100);
    CHECK(trust_score({10, 1, 0}) == 100);
    CHECK(trust_score({1000, 1000, 1000}) == 100);
    CHECK(trust_score_sql("a", "b", "c") == "LEAST(100, (a) * 10 + (b) * 2 + (c) * 3)");
}

TEST_CASE("rulebook verification_level: 0 without accepted reports, then 1 + n / 2 up to 5", "[rulebook]") {
    CHECK(verification_level(0) == 0);
    CHECK(verification_level(1) == 1);
    CHECK(verification_level(2) == 2);
    CHECK(verification_level(3) == 2);
    CHECK(verification_level(7) == 4);
    CHECK(verification_level(8) == 5);
    CHECK(verification_level(500) == 5);
    CHECK(verification_level_sql("n") == "CASE WHEN (n) <= 0 THEN 0 ELSE LEAST(5, 1 + (n) / 2) END");
    CHECK(verification_window == std::chrono::days(30));
}

TEST_CASE("rulebook lifetimes: sessions last 7 days, a claim 15 minutes", "[rulebook]") {
    CHECK(session_lifetime == std::chrono::days(7));
    CHECK(claim_lease == std::chrono::minutes(15));
    CHECK(interval_sql(session_lifetime) == "interval '7 days'");
    CHECK(interval_sql(claim_lease) == "interval '15 minutes'");
    CHECK(duration_text(std::chrono::hours(1)) == "1 hour");
    CHECK(duration_text(std::chrono::seconds(90)) == "90 seconds");
    CHECK(duration_text(std::chrono::seconds(0)) == "0 seconds");
}

TEST_CASE("rulebook roles: moderators moderate, only admins do admin actions", "[rulebook]") {
    CHECK(role_allows("moderator", Level::moderator));
    CHECK(role_allows("admin", Level::moderator));
    CHECK(role_allows("admin", Level::admin));
    CHECK_FALSE(role_allows("moderator", Level::admin));
    CHECK_FALSE(role_allows("operator", Level::moderator));
    CHECK_FALSE(role_allows("user", Level::moderator));
    CHECK(is_staff("moderator"));
    CHECK(is_staff("admin"));
    CHECK_FALSE(is_staff("operator"));
    CHECK(level_description(Level::admin) == "an admin");
}
