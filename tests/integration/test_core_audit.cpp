// core/audit against the real schema: one row per call, in the caller's transaction.
#include <catch2/catch.hpp>

#include "core/audit.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

TEST_CASE("audit rows are written in the caller's transaction and cannot be changed", "[audit]") {
    TempDatabase db("spotctl_template");
    {
        auto tx = db.conn().begin();
        audit::record(tx, {std::nullopt, "", "prune.anonymise", "user", "u-1", R"({"email": "a@example.com"})",
                           R"({"email": null})", "retention"});
        // Not committed: rolled back with the transaction.
    }
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");
    auto tx = db.conn().begin();
    long long id = audit::record(tx, {std::nullopt, "mod1@spot.example", "user.suspend", "user", "u-2", std::nullopt,
                                      R"({"status": "suspended"})", "spam"});
    tx.commit();
    REQUIRE(id > 0);
    REQUIRE(db.scalar("SELECT action || '|' || actor_email || '|' || (after->>'status') || '|' || reason || '|' || "
                      "(client_host <> '') || '|' || (spotctl_version <> '') FROM audit_log") ==
            "user.suspend|mod1@spot.example|suspended|spam|true|true");
    REQUIRE_THROWS_AS(db.conn().exec("UPDATE audit_log SET reason = 'edited'"), pg::DbError);
    REQUIRE_THROWS_AS(db.conn().exec("DELETE FROM audit_log"), pg::DbError);
}
