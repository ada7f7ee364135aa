#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "core/errors.hpp"
#include "core/output_file.hpp"
#include "core/sha256.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl;

TEST_CASE("output_file: nothing at the target until commit, then the content, its size, hash and mode 0640") {
    test::TempDir dir;
    auto target = dir / "out.csv";
    {
        OutputFile out(target.string());
        out.stream() << "a,b\r\n" << std::string(100000, 'x');
        CHECK(!std::filesystem::exists(target));
        out.commit();
        CHECK(out.bytes() == 100005);
        CHECK(out.sha256_hex() == sha256_hex("a,b\r\n" + std::string(100000, 'x')));
    }
    CHECK(test::slurp(target).size() == 100005);
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("output_file: abandoned output leaves neither the target nor a temporary file") {
    test::TempDir dir;
    {
        OutputFile out((dir / "out.csv").string());
        out.stream() << "partial";
    }
    CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("output_file: Sha256 in pieces equals the one-shot digest") {
    Sha256 sha;
    sha.update("hello ");
    sha.update("world");
    CHECK(sha.hex() == sha256_hex("hello world"));
}

TEST_CASE("output_file: a target in a missing directory is Exit::cant_write") {
    test::TempDir dir;
    try {
        OutputFile out((dir / "missing" / "out.csv").string());
        FAIL("opened");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::cant_write);
    }
}
