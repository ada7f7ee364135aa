#include <catch2/catch.hpp>

#include "core/pg_copy.hpp"

using spotctl::pg::decode_copy_text;
using spotctl::pg::Value;

TEST_CASE("pg_copy: decode_copy_text splits on tabs, decodes NULL markers and undoes the escapes") {
    std::vector<Value> f;
    decode_copy_text("1\tplain\t\\N\t", f);
    REQUIRE(f.size() == 4);
    CHECK(*f[0] == "1");
    CHECK(*f[1] == "plain");
    CHECK(!f[2]);
    CHECK(f[3] == Value(""));
    decode_copy_text("a\\tb\\nc\\rd\\\\e\\x41\\101\\b\\f\\v", f);
    REQUIRE(f.size() == 1);
    CHECK(*f[0] == "a\tb\nc\rd\\eAA\b\f\v");
    // Buffers are reused: a NULL after a value, a value after a NULL.
    decode_copy_text("\\N\tx", f);
    CHECK(!f[0]);
    CHECK(*f[1] == "x");
    decode_copy_text("Ünïcødé 東京\t\\\\N", f);
    CHECK(*f[0] == "Ünïcødé 東京");
    CHECK(*f[1] == "\\N");
}
