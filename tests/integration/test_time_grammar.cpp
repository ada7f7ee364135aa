// One syntax for points in time (core/time_spec): the server turns each form into the instant it
// stands for, report's --month and --week are whole months and weeks, and durations read as
// people write them. (audit's and fraud scan's --to: test_audit.cpp.)
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_spec.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;
namespace ts = spotctl::time_spec;

namespace {

RunResult run(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url()};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

}  // namespace

TEST_CASE("time: each form resolves on the server to the instant it stands for", "[time]") {
    TempDatabase db("spotctl_template");
    auto& c = db.conn();
    auto at = [&](const char* text, ts::Edge edge, const std::string& tz = "UTC") {
        return ts::resolve_instant(c, ts::parse(text, "--to"), edge, tz);
    };
    CHECK(at("2026-11-30", ts::Edge::start) == "2026-11-30T00:00:00.000000Z");
    CHECK(at("2026-11-30", ts::Edge::end) == "2026-12-01T00:00:00.000000Z");  // a date as an end: its whole day
    CHECK(at("2026-11-30", ts::Edge::end, "Asia/Kolkata") == "2026-11-30T18:30:00.000000Z");
    CHECK(at("2026-11-30T18:00:00Z", ts::Edge::end) == "2026-11-30T18:00:00.000000Z");  // an instant stays itself
    CHECK(at("2026-11-30 23:30+05:30", ts::Edge::start) == "2026-11-30T18:00:00.000000Z");
    CHECK(at("2026-11-30T09:00", ts::Edge::start, "Asia/Kolkata") == "2026-11-30T03:30:00.000000Z");  // no zone: --tz
    CHECK(at("yesterday", ts::Edge::end) == c.exec("SELECT to_char(current_date AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")[0].str(0));
    // A duration: back from now for --since, ahead for --until.
    CHECK(db.scalar("SELECT abs(extract(epoch FROM ($1::timestamptz - (now() - interval '36 hours')))) < 5",
                    pg::params(at("36h", ts::Edge::start))) == "t");
    CHECK(db.scalar("SELECT abs(extract(epoch FROM ($1::timestamptz - (now() + interval '2 hours')))) < 5",
                    pg::params(ts::resolve_instant(c, ts::parse("2 hours", "--until", ts::Toward::future), ts::Edge::end))) == "t");
    // As a date: the calendar date in the zone.
    CHECK(ts::resolve_date(c, ts::parse("2026-11-30T20:00:00Z", "--to"), "Asia/Kolkata") == "2026-12-01");
    CHECK(ts::resolve_date(c, ts::parse("last-month-end", "--to")) == db.scalar("SELECT (date_trunc('month', now() AT TIME ZONE 'UTC')::date - 1)::text"));
}

TEST_CASE("time: report --month is the month's first to last day, as --from and --to", "[time][report]") {
    TempDatabase db("spotctl_template");
    auto r = run(db, {"-o", "json", "report", "run", "revenue", "--month", "2026-02", "--tz", "Asia/Kolkata"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["parameters"]["from"] == "2026-02-01");
    CHECK(doc["parameters"]["to"] == "2026-02-28");
    auto week = run(db, {"-o", "json", "report", "run", "revenue", "--week", "2026-W09"});
    REQUIRE(week.exit_code == 0);
    CHECK(nlohmann::json::parse(week.out)["parameters"]["to"] == "2026-03-01");
}

TEST_CASE("time: a suspension --until a date lasts through that day, and durations read as people write them", "[time][user]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(R"SQL(
INSERT INTO users (id, email, role) VALUES
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'moderator'),
  ('00000000-0000-4000-8000-00000000b001', 'person@example.com', 'user');
)SQL");
    auto r = run(db, {"--redis-url", required_env("SPOTCTL_TEST_REDIS"), "user", "suspend", "person@example.com", "--until", "2099-12-31",
                      "--reason", "spam", "--as", "mod1@spot.example"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(db.scalar("SELECT suspended_until = '2100-01-01T00:00:00Z' FROM users WHERE email = 'person@example.com'") == "t");

    auto split = run(db, {"moderate", "claim", "--next", "--claim-for", "2", "hours", "--as", "mod1@spot.example"});
    CHECK(split.exit_code == 64);
    CHECK(split.err.rfind("spotctl: error: 'hours' after --claim-for 2 is read as an argument, not as part of the duration\n", 0) == 0);
    CHECK(split.err.find("--claim-for '2 hours'") != std::string::npos);
    auto quoted = run(db, {"moderate", "claim", "--next", "--claim-for", "2 hours", "--as", "mod1@spot.example"});
    CHECK(quoted.err.find("duration") == std::string::npos);
    CHECK(quoted.exit_code == 0);
}
