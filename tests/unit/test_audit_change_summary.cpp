#include <catch2/catch.hpp>

#include "commands/audit/change_summary.hpp"

using spotctl::auditlog::change_summary;

TEST_CASE("audit change: only the fields that differ, before → after, - for no value", "[audit]") {
    CHECK(change_summary(R"({"status": "active", "role": "user", "suspended_until": null})",
                         R"({"status": "suspended", "role": "user", "suspended_until": "2027-01-01T00:00:00Z", "sessions_revoked": 2})") ==
          "status: active → suspended, suspended_until: - → 2027-01-01T00:00:00Z, sessions_revoked: - → 2");
    // A row that only creates or only removes something, and one with no images at all.
    CHECK(change_summary(std::nullopt, R"({"id": 7})") == "id: - → 7");
    CHECK(change_summary(R"({"flags": ["a"]})", "null") == R"(flags: ["a"] → -)");
    CHECK(change_summary(std::nullopt, std::nullopt).empty());
    CHECK(change_summary(R"({"a": 1})", R"({"a": 1})").empty());
}
