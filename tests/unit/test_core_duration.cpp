#include <catch2/catch.hpp>

#include <string>

#include "core/duration.hpp"
#include "core/errors.hpp"

using spotctl::format_duration;
using spotctl::Millis;
using spotctl::parse_duration;

namespace {

long long ms(std::string_view text) { return parse_duration(text, "--timeout").count(); }

struct Failure {
    spotctl::Exit code = spotctl::Exit::ok;
    std::string message;
    std::string hint;
};

Failure failure(std::string_view text, std::string_view what = "--lock-timeout") {
    try {
        parse_duration(text, what);
    } catch (const spotctl::Error& e) {
        return {e.code(), e.what(), e.hint()};
    }
    return {};
}

}  // namespace

TEST_CASE("duration: single units") {
    CHECK(ms("500ms") == 500);
    CHECK(ms("30s") == 30'000);
    CHECK(ms("15m") == 900'000);
    CHECK(ms("10min") == 600'000);
    CHECK(ms("2h") == 7'200'000);
    CHECK(ms("7d") == 604'800'000);
}

TEST_CASE("duration: unit words and spaces, as people write them") {
    CHECK(ms("2 hours") == 7'200'000);
    CHECK(ms("1 hour") == 3'600'000);
    CHECK(ms("30sec") == 30'000);
    CHECK(ms("90 minutes") == 5'400'000);
    CHECK(ms("1h 30m") == 5'400'000);
    CHECK(ms("3 days 12 hours") == 302'400'000);
    CHECK(ms("2w") == 1'209'600'000);
    CHECK(ms("1 week") == 604'800'000);
}

TEST_CASE("duration: a bare number is seconds") {
    CHECK(ms("90") == 90'000);
    CHECK(ms("0") == 0);
    CHECK(ms("1") == 1'000);
}

TEST_CASE("duration: combined units add up") {
    CHECK(ms("1h30m") == 5'400'000);
    CHECK(ms("1d12h") == 129'600'000);
    CHECK(ms("1m30s500ms") == 90'500);
}

TEST_CASE("duration: fractions") {
    CHECK(ms("1.5s") == 1'500);
    CHECK(ms("0.25h") == 900'000);
}

TEST_CASE("duration: invalid text is a usage error naming the flag") {
    for (const char* text : {"", "abc", "5x", "ms", "-5s", "5 6", " 5s", "5s ", ".", "1e3", "30 fortnights", "hours 2", "99999999999d"}) {
        CAPTURE(text);
        const auto f = failure(text);
        CHECK(f.code == spotctl::Exit::usage);
        CHECK(f.message == "invalid duration '" + std::string(text) + "' for --lock-timeout");
        CHECK(f.hint == "use a number with a unit, such as 500ms, 30s, 15m, 2h, 7d or 2w ('2 hours' and '1h 30m' work too)");
    }
}

TEST_CASE("duration: the message names the setting it was given for") {
    CHECK(failure("soon", "migrate.statement_timeout").message ==
          "invalid duration 'soon' for migrate.statement_timeout");
}

TEST_CASE("duration: format_duration below one second") {
    CHECK(format_duration(Millis(0)) == "0ms");
    CHECK(format_duration(Millis(87)) == "87ms");
    CHECK(format_duration(Millis(999)) == "999ms");
}

TEST_CASE("duration: format_duration in seconds") {
    CHECK(format_duration(Millis(1'000)) == "1.000s");
    CHECK(format_duration(Millis(1'234)) == "1.234s");
    CHECK(format_duration(Millis(59'999)) == "59.999s");
}

TEST_CASE("duration: format_duration in minutes and hours") {
    CHECK(format_duration(Millis(60'000)) == "1m00s");
    CHECK(format_duration(Millis(123'000)) == "2m03s");
    CHECK(format_duration(Millis(3'599'999)) == "59m59s");
    CHECK(format_duration(Millis(3'600'000)) == "1h00m00s");
    CHECK(format_duration(Millis(5'400'000)) == "1h30m00s");
    CHECK(format_duration(Millis(90'061'000)) == "25h01m01s");
}

TEST_CASE("duration: malformed numbers are refused") {
    for (const char* t : {"1.2.3s", "1..5m", "5.", ".5s"}) {
        CAPTURE(t);
        CHECK_THROWS_AS(spotctl::parse_duration(t, "--timeout"), spotctl::Error);
    }
    CHECK(spotctl::parse_duration("1.5s", "--timeout") == spotctl::Millis(1500));
}

TEST_CASE("duration: a number too large for a double is a usage error, not an internal one") {
    // std::stod threw std::out_of_range here, which came out as "internal error: stod" (found by fuzzing).
    auto huge = failure(std::string(400, '1') + "s");
    CHECK(huge.code == spotctl::Exit::usage);
    CHECK(huge.message.find("--lock-timeout") != std::string::npos);
    CHECK(failure(std::string(300, '9') + "ms").code == spotctl::Exit::usage);  // finite, but past the limit
    CHECK(ms("0000000000000000000001s") == 1000);  // leading zeros are still a small number
}
