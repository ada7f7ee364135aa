#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "core/atomic_file.hpp"
#include "core/errors.hpp"

namespace fs = std::filesystem;
using spotctl::test::TempDir;
using spotctl::test::slurp;
using spotctl::AtomicFile;

namespace {



std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

unsigned permissions(const fs::path& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("atomic file: commit writes the content with the requested mode") {
    TempDir dir;
    const fs::path target = dir.path() / "report.csv";
    {
        AtomicFile file(target, 0640);
        file.write("id,name\r\n");
        file.write("");
        file.write(std::string("1,a\0b\r\n", 7));
        file.commit();
    }
    CHECK(slurp(target) == std::string("id,name\r\n1,a\0b\r\n", 16));
    CHECK(permissions(target) == 0640);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"report.csv"});
}

TEST_CASE("atomic file: the mode does not depend on the umask") {
    TempDir dir;
    const mode_t old = ::umask(077);
    spotctl::write_file_atomically(dir.path() / "a.txt", "x", 0644);
    spotctl::write_file_atomically(dir.path() / "b.txt", "y", 0600);
    ::umask(old);
    CHECK(permissions(dir.path() / "a.txt") == 0644);
    CHECK(permissions(dir.path() / "b.txt") == 0600);
}

TEST_CASE("atomic file: commit replaces an existing target") {
    TempDir dir;
    const fs::path target = dir.path() / "state.json";
    std::ofstream(target) << "old content that is longer than the new one";
    spotctl::write_file_atomically(target, "{}\n");
    CHECK(slurp(target) == "{}\n");
    CHECK(permissions(target) == 0644);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"state.json"});
}

TEST_CASE("atomic file: the temporary file sits beside the target until commit") {
    TempDir dir;
    const fs::path target = dir.path() / "out.txt";
    AtomicFile file(target);
    file.write("partial");
    CHECK(file.target() == target);
    CHECK_FALSE(fs::exists(target));
    const auto names = names_in(dir.path());
    REQUIRE(names.size() == 1);
    CHECK(names[0].rfind(".out.txt.tmp-", 0) == 0);
    file.commit();
    CHECK(names_in(dir.path()) == std::vector<std::string>{"out.txt"});
}

TEST_CASE("atomic file: destroyed without commit leaves no target and no temporary file") {
    TempDir dir;
    const fs::path target = dir.path() / "abandoned.txt";
    {
        AtomicFile file(target, 0640);
        file.write("never committed");
        std::fputs(" via stream", file.stream());
    }
    CHECK_FALSE(fs::exists(target));
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("atomic file: destroyed without commit leaves an existing target as it was") {
    TempDir dir;
    const fs::path target = dir.path() / "keep.txt";
    std::ofstream(target) << "original";
    {
        AtomicFile file(target);
        file.write("replacement");
    }
    CHECK(slurp(target) == "original");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"keep.txt"});
}

TEST_CASE("atomic file: commit_new creates a new file") {
    TempDir dir;
    const fs::path target = dir.path() / "0001_init.up.sql";
    {
        AtomicFile file(target, 0640);
        file.write("SELECT 1;\n");
        file.commit_new();
    }
    CHECK(slurp(target) == "SELECT 1;\n");
    CHECK(permissions(target) == 0640);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"0001_init.up.sql"});
}

TEST_CASE("atomic file: commit_new refuses an existing target and leaves it unchanged") {
    TempDir dir;
    const fs::path target = dir.path() / "0001_init.up.sql";
    std::ofstream(target) << "existing";
    {
        AtomicFile file(target);
        file.write("new content");
        try {
            file.commit_new();
            FAIL("commit_new() over an existing file did not throw");
        } catch (const spotctl::Error& e) {
            CHECK(e.code() == spotctl::Exit::cant_write);
            CHECK(std::string(e.what()) == "cannot create '" + target.string() + "': the file already exists");
        }
    }
    CHECK(slurp(target) == "existing");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"0001_init.up.sql"});
}

TEST_CASE("atomic file: a directory that does not exist is a cant_write error") {
    TempDir dir;
    const fs::path target = dir.path() / "no" / "such" / "out.txt";
    try {
        AtomicFile file(target);
        FAIL("AtomicFile in a missing directory did not throw");
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::cant_write);
        CHECK(std::string(e.what()) == "cannot write '" + target.string() +
                                           "': cannot create a temporary file beside it: No such file or directory");
    }
}

TEST_CASE("atomic file: a device is written in place, and its write error is reported, never renamed over") {
    // Renaming over /dev/full would replace the device node with a file (as root, it did).
    {
        AtomicFile file("/dev/full");
        file.write("a line\n");
        REQUIRE_THROWS_AS(file.commit(), spotctl::Error);
    }
    struct stat st {};
    REQUIRE(::stat("/dev/full", &st) == 0);
    REQUIRE(S_ISCHR(st.st_mode));
    {
        AtomicFile file("/dev/null");
        file.write("discarded\n");
        file.commit();
    }
    REQUIRE(::stat("/dev/null", &st) == 0);
    REQUIRE(S_ISCHR(st.st_mode));
}

TEST_CASE("atomic file: a directory as the target, and commit_new over a device, are cant_write errors naming it") {
    TempDir dir;
    const fs::path target = dir.path() / "reports";
    fs::create_directory(target);
    try {
        AtomicFile file(target);
        FAIL("AtomicFile opened a directory for writing");
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::cant_write);
        CHECK(std::string(e.what()) == "cannot write '" + target.string() + "': cannot open it: Is a directory");
    }
    CHECK(fs::is_directory(target));
    CHECK(names_in(dir.path()) == std::vector<std::string>{"reports"});

    // A device exists already: commit_new (never overwrite) refuses it rather than write into it.
    AtomicFile device("/dev/null");
    device.write("never written\n");
    try {
        device.commit_new();
        FAIL("commit_new wrote to an existing device");
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::cant_write);
        CHECK(std::string(e.what()) == "cannot create '/dev/null': it already exists");
    }
}

TEST_CASE("atomic file: a FIFO receives the content in place") {
    TempDir dir;
    const fs::path fifo = dir.path() / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] {
        std::ifstream in(fifo);
        received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
    {
        AtomicFile file(fifo);
        file.write("through the pipe\n");
        file.commit();
    }
    reader.join();
    CHECK(received == "through the pipe\n");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"pipe"});  // no temporary file beside it
}

TEST_CASE("atomic file: a symbolic link stays a link, and the file it names is replaced") {
    TempDir dir;
    const fs::path real = dir.path() / "real.csv";
    const fs::path link = dir.path() / "latest.csv";
    { std::ofstream(real) << "old\n"; }
    fs::create_symlink(real, link);
    spotctl::write_file_atomically(link, "new\n");
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(slurp(real) == "new\n");
}
