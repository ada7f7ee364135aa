#include <catch2/catch.hpp>

#include "core/single_line.hpp"

using spotctl::single_line;

TEST_CASE("single_line shows control characters as escapes", "[core][single_line]") {
    REQUIRE(single_line("plain text, quotes ' \" and UTF-8 \xC3\xA9") == "plain text, quotes ' \" and UTF-8 \xC3\xA9");
    REQUIRE(single_line("a\nb\r\nc\td") == "a\\nb\\r\\nc\\td");
    REQUIRE(single_line(std::string("nul\0esc\x1b[2J del\x7f", 16)) == "nul\\x00esc\\x1b[2J del\\x7f");
}

TEST_CASE("single_line cuts a huge value at a character boundary and says how much is left out", "[core][single_line]") {
    REQUIRE(single_line(std::string(5000, 'A'), 100) == std::string(100, 'A') + "... (4900 more bytes)");
    // 'é' is two bytes: a cut inside it backs off to before it.
    std::string text = std::string(99, 'A') + "\xC3\xA9" + "tail";
    REQUIRE(single_line(text, 100) == std::string(99, 'A') + "... (6 more bytes)");
    REQUIRE(single_line("short", 100) == "short");
}
