#include <catch2/catch.hpp>

#include <string>

#include "core/sha256.hpp"

using spotctl::sha256_hex;

TEST_CASE("sha256: known test vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256: hashes every byte, NUL included") {
    const std::string with_nul("abc\0def", 7);
    CHECK(sha256_hex(with_nul) != sha256_hex("abc"));
    CHECK(sha256_hex(with_nul).size() == 64);
}

TEST_CASE("sha256: output is 64 lower-case hex digits") {
    const auto digest = sha256_hex("spotctl");
    CHECK(digest.size() == 64);
    CHECK(digest.find_first_not_of("0123456789abcdef") == std::string::npos);
}
