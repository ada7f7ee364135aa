#include <catch2/catch.hpp>

#include <string>

#include "core/errors.hpp"
#include "core/time_spec.hpp"

namespace ts = spotctl::time_spec;

namespace {

std::string usage_error(std::string_view text, std::string_view flag = "--until") {
    try {
        ts::parse(text, flag);
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::usage);
        CHECK(e.hint().find("2026-11-30T18:00:00Z") != std::string::npos);  // the hint lists the forms
        return e.what();
    }
    FAIL("accepted: " << text);
    return "";
}

}  // namespace

TEST_CASE("time: a calendar date is a date", "[time]") {
    auto p = ts::parse("2026-11-30", "--to");
    CHECK(p.kind == ts::Kind::date);
    CHECK(p.value == "2026-11-30");
    CHECK(ts::parse("2028-02-29", "--to").kind == ts::Kind::date);  // a leap day
}

TEST_CASE("time: timestamps with Z, an offset, a space or no zone are instants", "[time]") {
    auto z = ts::parse("2026-11-30T18:00:00Z", "--from");
    CHECK(z.kind == ts::Kind::instant);
    CHECK(z.has_zone);
    CHECK(z.value == "2026-11-30 18:00:00+00:00");
    auto offset = ts::parse("2026-11-30 23:30+05:30", "--from");
    CHECK(offset.value == "2026-11-30 23:30:00+05:30");
    CHECK(ts::parse("2026-11-30T23:30:15.25-0800", "--from").value == "2026-11-30 23:30:15.25-08:00");
    auto local = ts::parse("2026-11-30T09:15", "--from");
    CHECK(local.kind == ts::Kind::instant);
    CHECK_FALSE(local.has_zone);
}

TEST_CASE("time: a duration points back for --since and ahead for --until", "[time]") {
    auto back = ts::parse("7d", "--since");
    CHECK(back.kind == ts::Kind::relative);
    CHECK(back.offset == -spotctl::Millis(7LL * 86'400'000));
    CHECK(ts::parse("36h", "--until", ts::Toward::future).offset == spotctl::Millis(36LL * 3'600'000));
    CHECK(ts::parse("2 hours", "--until", ts::Toward::future).offset == spotctl::Millis(7'200'000));
    CHECK(ts::parse("now", "--to").offset == spotctl::Millis(0));
}

TEST_CASE("time: the named dates reports accept are dates everywhere", "[time]") {
    for (const char* n : {"today", "yesterday", "tomorrow", "week-start", "last-week-start", "month-start", "last-month-start",
                          "last-month-end"}) {
        CAPTURE(n);
        auto p = ts::parse(n, "--from");
        CHECK(p.kind == ts::Kind::named);
        CHECK(ts::named_dates().find(n) != std::string::npos);
    }
}

TEST_CASE("time: text that is no time is a usage error naming the flag and the text", "[time]") {
    CHECK(usage_error("soon") == "--until 'soon' is not a time");
    CHECK(usage_error("2026-02-30") == "--until '2026-02-30' is not a time: no such date");
    CHECK(usage_error("2026-11-30T24:00:00Z") == "--until '2026-11-30T24:00:00Z' is not a time: no such time of day");
    CHECK(usage_error("2026-11-30T10:00+16:00") == "--until '2026-11-30T10:00+16:00' is not a time: no such zone offset");
    for (const char* t : {"", "3 d x", "2026-11", "26-11-30", "2026-11-30T", "2026-11-30 10", "7d ago", "'; DROP TABLE users; --",
                          "-7d", "2026-11-30T10:00:00 Z", "1e309d"}) {
        CAPTURE(t);
        usage_error(t);
    }
}

TEST_CASE("time: --month is its first to its last day", "[time]") {
    auto nov = ts::parse_month("2026-11", "--month");
    CHECK(nov.first.value == "2026-11-01");
    CHECK(nov.last.value == "2026-11-30");
    CHECK(ts::parse_month("2028-02", "--month").last.value == "2028-02-29");
    CHECK(ts::parse_month("2026-12", "--month").last.value == "2026-12-31");
    for (const char* t : {"2026-13", "2026-00", "2026-1", "2026-11-01", "november"}) {
        CAPTURE(t);
        CHECK_THROWS_WITH(ts::parse_month(t, "--month"), "--month '" + std::string(t) + "' is not a month");
    }
}

TEST_CASE("time: --week is an ISO week, Monday to Sunday", "[time]") {
    auto w = ts::parse_week("2026-W48", "--week");
    CHECK(w.first.value == "2026-11-23");
    CHECK(w.last.value == "2026-11-29");
    // Week 1 of 2026 starts in 2025 (1 January 2026 is a Thursday); 2026 has 53 weeks.
    CHECK(ts::parse_week("2026-W01", "--week").first.value == "2025-12-29");
    CHECK(ts::parse_week("2026W53", "--week").last.value == "2027-01-03");
    for (const char* t : {"2025-W53", "2026-W00", "2026-W54", "2026-48", "W48"}) {
        CAPTURE(t);
        CHECK_THROWS_WITH(ts::parse_week(t, "--week"), "--week '" + std::string(t) + "' is not an ISO week");
    }
}
