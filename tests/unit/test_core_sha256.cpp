#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <string>
#include <string_view>

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

// core/sha256 is our own code: checked against libcrypto at every length around the block and
// padding boundaries (55, 56, 63, 64 bytes and their multiples), fed whole and in pieces.
TEST_CASE("sha256: agrees with libcrypto at every length up to 300 bytes, fed whole and in pieces") {
    std::string data;
    for (int i = 0; i < 300; ++i) data += static_cast<char>((i * 131 + 7) & 0xff);
    for (std::size_t length = 0; length <= data.size(); ++length) {
        std::string_view part(data.data(), length);
        unsigned char digest[SHA256_DIGEST_LENGTH];
        unsigned int size = 0;
        REQUIRE(EVP_Digest(part.data(), part.size(), digest, &size, EVP_sha256(), nullptr) == 1);
        std::string expected;
        for (unsigned int i = 0; i < size; ++i) expected += fmt::format("{:02x}", digest[i]);
        INFO("length " << length);
        CHECK(sha256_hex(part) == expected);
        for (std::size_t piece : {1, 7, 64, 65}) {
            spotctl::Sha256 sha;
            for (std::size_t at = 0; at < length; at += piece) sha.update(part.substr(at, piece));
            CHECK(sha.hex() == expected);
        }
    }
}

TEST_CASE("sha256: a million 'a's (FIPS 180-4's long vector)") {
    spotctl::Sha256 sha;
    for (int i = 0; i < 1000; ++i) sha.update(std::string(1000, 'a'));
    CHECK(sha.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
