#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "commands/migrate/migration_files.hpp"
#include "core/errors.hpp"
#include "core/sha256.hpp"

namespace fs = std::filesystem;
using spotctl::test::TempDir;
using spotctl::test::slurp;
using namespace spotctl::migrate;

namespace {


struct Failure {
    spotctl::Exit code = spotctl::Exit::ok;
    std::string message;
};

Failure load_failure(const fs::path& dir) {
    try {
        load_migrations(dir);
    } catch (const spotctl::Error& e) {
        return {e.code(), e.what()};
    }
    return {};
}

std::vector<long long> versions(const std::vector<MigrationFile>& files) {
    std::vector<long long> out;
    for (const auto& f : files) out.push_back(f.version);
    return out;
}

const std::string marker = "-- spotctl:no-transaction";

}  // namespace

TEST_CASE("migration files: sorted by number, not by name") {
    TempDir dir;
    dir.write("10_ten.up.sql", "SELECT 1;\n");
    dir.write("9_nine.up.sql", "SELECT 1;\n");
    dir.write("0002_two.up.sql", "SELECT 1;\n");
    dir.write("100_hundred.up.sql", "SELECT 1;\n");
    const auto files = load_migrations(dir.path());
    CHECK(versions(files) == std::vector<long long>{2, 9, 10, 100});
}

TEST_CASE("migration files: fields of a migration with up and down") {
    TempDir dir;
    const std::string up = "CREATE TABLE t (id int);\n";
    const std::string down = "DROP TABLE t;\n";
    const fs::path up_path = dir.write("0007_security-and_fraud.up.sql", up);
    const fs::path down_path = dir.write("0007_security-and_fraud.down.sql", down);
    const auto files = load_migrations(dir.path());
    REQUIRE(files.size() == 1);
    const MigrationFile& m = files[0];
    CHECK(m.version == 7);
    CHECK(m.version_text == "0007");
    CHECK(m.name == "security-and_fraud");
    CHECK(m.label() == "0007_security-and_fraud");
    CHECK(m.up.path == up_path);
    CHECK(m.up.sql == up);
    CHECK_FALSE(m.up.no_transaction);
    REQUIRE(m.down.has_value());
    CHECK(m.down->path == down_path);
    CHECK(m.down->sql == down);
    CHECK(m.checksum == spotctl::sha256_hex(up));
}

TEST_CASE("migration files: a down file is optional") {
    TempDir dir;
    dir.write("0001_init.up.sql", "SELECT 1;\n");
    const auto files = load_migrations(dir.path());
    REQUIRE(files.size() == 1);
    CHECK_FALSE(files[0].down.has_value());
}

TEST_CASE("migration files: an empty directory has no migrations") {
    TempDir dir;
    CHECK(load_migrations(dir.path()).empty());
}

TEST_CASE("migration files: files that are not .sql are ignored") {
    TempDir dir;
    dir.write("0001_init.up.sql", "SELECT 1;\n");
    dir.write("README.md", "# migrations\n");
    dir.write("notes.txt", "SELECT 1;\n");
    dir.write("0002_backup.up.sql.bak", "SELECT 1;\n");
    dir.write("0003_upper.up.SQL", "SELECT 1;\n");
    dir.write(".gitkeep", "");
    fs::create_directory(dir.path() / "archive");
    const auto files = load_migrations(dir.path());
    CHECK(versions(files) == std::vector<long long>{1});
}

TEST_CASE("migration files: the no-transaction marker on the first line") {
    TempDir dir;
    dir.write("0001_plain.up.sql", "CREATE TABLE t (id int);\n");
    dir.write("0002_marked.up.sql", marker + "\nCREATE INDEX CONCURRENTLY i ON t (id);\n");
    dir.write("0002_marked.down.sql", marker + "\r\nDROP INDEX CONCURRENTLY i;\r\n");
    dir.write("0003_bom.up.sql", "\xEF\xBB\xBF" + marker + "\r\nCREATE INDEX CONCURRENTLY j ON t (id);\r\n");
    dir.write("0004_second_line.up.sql", "-- comment\n" + marker + "\nSELECT 1;\n");
    const auto files = load_migrations(dir.path());
    REQUIRE(files.size() == 4);
    CHECK_FALSE(files[0].up.no_transaction);
    CHECK(files[1].up.no_transaction);
    REQUIRE(files[1].down.has_value());
    CHECK(files[1].down->no_transaction);
    CHECK(files[2].up.no_transaction);
    CHECK_FALSE(files[3].up.no_transaction);
}

TEST_CASE("migration files: is_no_transaction") {
    CHECK(is_no_transaction(marker));
    CHECK(is_no_transaction(marker + "\n"));
    CHECK(is_no_transaction(marker + "\r\nSELECT 1;"));
    CHECK(is_no_transaction(marker + " \t\r\n"));
    CHECK(is_no_transaction("\xEF\xBB\xBF" + marker + "\nSELECT 1;"));
    CHECK(is_no_transaction("\xEF\xBB\xBF" + marker + "\r\n"));

    CHECK_FALSE(is_no_transaction(""));
    CHECK_FALSE(is_no_transaction("SELECT 1;"));
    CHECK_FALSE(is_no_transaction(" " + marker));
    CHECK_FALSE(is_no_transaction("--spotctl:no-transaction"));
    CHECK_FALSE(is_no_transaction(marker + " please"));
    CHECK_FALSE(is_no_transaction("-- SPOTCTL:NO-TRANSACTION"));
    CHECK_FALSE(is_no_transaction("\n" + marker));
}

TEST_CASE("migration files: two up files with one version are refused, naming both paths") {
    TempDir dir;
    const fs::path first = dir.write("0001_first.up.sql", "SELECT 1;\n");
    const fs::path second = dir.write("1_second.up.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == second.string() + ": version 1 is also used by '" + first.string() + "'");
}

TEST_CASE("migration files: two timestamp versions that collide are refused, naming both paths") {
    TempDir dir;
    const fs::path first = dir.write("20240101120000_add_x.up.sql", "SELECT 1;\n");
    const fs::path second = dir.write("20240101120000_add_y.up.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == second.string() + ": version 20240101120000 is also used by '" + first.string() + "'");
}

TEST_CASE("migration files: two down files with one version are refused") {
    TempDir dir;
    dir.write("0001_a.up.sql", "SELECT 1;\n");
    const fs::path first = dir.write("0001_a.down.sql", "SELECT 1;\n");
    const fs::path second = dir.write("1_a.down.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == second.string() + ": version 1 has a second down file, '" + first.string() + "'");
}

TEST_CASE("migration files: a down file without its up file is refused") {
    TempDir dir;
    dir.write("0001_a.up.sql", "SELECT 1;\n");
    const fs::path orphan = dir.write("0003_gone.down.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == orphan.string() + ": down file without an up file for version 3");
}

TEST_CASE("migration files: up and down files with different names are refused") {
    TempDir dir;
    dir.write("0001_create_users.up.sql", "SELECT 1;\n");
    const fs::path down = dir.write("0001_create_user.down.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == down.string() + ": the up file of version 1 is '0001_create_users.up.sql': the names differ");
}

TEST_CASE("migration files: a .sql file with a bad name is refused, naming its path") {
    for (const char* name : {"0001-init.up.sql", "init.up.sql", "_init.up.sql", "v1_init.up.sql", "0001.up.sql",
                             "0001-init.down.sql", "init.sql", "v2_x.sql", ".sql"}) {
        CAPTURE(name);
        TempDir dir;
        dir.write("0002_fine.up.sql", "SELECT 1;\n");
        const fs::path bad = dir.write(name, "SELECT 1;\n");
        const auto f = load_failure(dir.path());
        CHECK(f.code == spotctl::Exit::data);
        CHECK(f.message == bad.string() + ": not a migration file name");
    }
}

TEST_CASE("migration files: every name golang-migrate accepts") {
    // ^([0-9]+)_(.*)\.(up|down)\.sql$: dots, dashes, spaces, non-ASCII letters, an empty name,
    // a 14-digit timestamp.
    TempDir dir;
    dir.write("0002_1.7.0_schema.up.sql", "SELECT 1;\n");
    dir.write("0003_add invoice totals.up.sql", "SELECT 1;\n");
    dir.write("0004_données_clients.up.sql", "SELECT 1;\n");
    dir.write("0004_données_clients.down.sql", "SELECT 2;\n");
    dir.write("0005_.up.sql", "SELECT 1;\n");
    dir.write("0006_fix-it.up.sql", "SELECT 1;\n");
    dir.write("0007_v.up.down.sql", "SELECT 1;\n");  // the name is "v.up", and this its down file
    dir.write("0007_v.up.up.sql", "SELECT 1;\n");
    dir.write("20240101120000_add_x.up.sql", "SELECT 1;\n");
    const auto files = load_migrations(dir.path());
    CHECK(versions(files) == std::vector<long long>{2, 3, 4, 5, 6, 7, 20240101120000});
    std::vector<std::string> labels;
    for (const auto& f : files) labels.push_back(f.label());
    CHECK(labels == std::vector<std::string>{"0002_1.7.0_schema", "0003_add invoice totals", "0004_données_clients", "0005_",
                                             "0006_fix-it", "0007_v.up", "20240101120000_add_x"});
    REQUIRE(files[2].down.has_value());
    CHECK(files[2].down->sql == "SELECT 2;\n");
    REQUIRE(files[5].down.has_value());
    CHECK(files[5].down->path.filename() == "0007_v.up.down.sql");
}

TEST_CASE("migration files: an up-only history names the missing down file") {
    TempDir dir;
    dir.write("0002_1.7.0_schema.up.sql", "SELECT 1;\n");
    const auto files = load_migrations(dir.path());
    REQUIRE(files.size() == 1);
    CHECK_FALSE(files[0].down.has_value());
    CHECK(files[0].missing_down() == (dir.path() / "0002_1.7.0_schema.down.sql").string() + " does not exist");
}

TEST_CASE("migration files: an upper-case or unknown suffix is not a paired file") {
    // Ending in .sql without .up/.down makes it dbmate's format, which a paired directory refuses.
    TempDir dir;
    const fs::path fine = dir.write("0002_fine.up.sql", "SELECT 1;\n");
    const fs::path odd = dir.write("0003_init.UP.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == odd.string() + ": a dbmate file (NNNN_name.sql) in a directory that also holds an up or down file "
                                      "(NNNN_name.up.sql), '" + fine.string() + "'");
}

TEST_CASE("migration files: a version number too large is refused") {
    TempDir dir;
    const fs::path big = dir.write("99999999999999999999_big.up.sql", "SELECT 1;\n");
    const auto f = load_failure(dir.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == big.string() + ": version number too large");
}

TEST_CASE("migration files: a missing directory is a configuration error") {
    TempDir dir;
    const fs::path missing = dir.path() / "nope";
    const auto f = load_failure(missing);
    CHECK(f.code == spotctl::Exit::config);
    CHECK(f.message == "cannot read migrations directory '" + missing.string() + "': no such directory");

    const fs::path not_a_dir = dir.write("file.sql", "SELECT 1;\n");
    CHECK(load_failure(not_a_dir).code == spotctl::Exit::config);
}

TEST_CASE("migration files: without read_down the down file is known but not read") {
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a ();\n");
    dir.write("0001_a.down.sql", "DROP TABLE a;\n");
    auto lazy = load_migrations(dir.path(), false);
    REQUIRE(lazy.size() == 1);
    REQUIRE(lazy[0].down.has_value());
    CHECK(lazy[0].down->path.filename() == "0001_a.down.sql");
    CHECK(lazy[0].down->sql.empty());
    auto full = load_migrations(dir.path());
    CHECK(full[0].down->sql == "DROP TABLE a;\n");
    CHECK(full[0].checksum == lazy[0].checksum);
}

TEST_CASE("dbmate directory: versions, names, checksum of the up section, and missing down") {
    TempDir dir;
    const std::string first = "-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n";
    dir.write("20240101120000_create_a.sql", first);
    dir.write("20240102120000.sql", "-- migrate:up\nCREATE TABLE b ();\n-- migrate:down\n");
    const auto files = load_migrations(dir.path());
    REQUIRE(files.size() == 2);
    CHECK(files[0].version == 20240101120000);
    CHECK(files[0].label() == "20240101120000_create_a");
    CHECK(files[0].format == FileFormat::dbmate);
    CHECK(files[0].checksum == spotctl::sha256_hex("-- migrate:up\nCREATE TABLE a ();\n"));
    REQUIRE(files[0].down.has_value());
    CHECK(files[0].down->path == files[0].up.path);
    CHECK(files[1].name.empty());
    CHECK_FALSE(files[1].down.has_value());
    CHECK(files[1].missing_down() ==
          (dir.path() / "20240102120000.sql").string() + " has no SQL in its '-- migrate:down' section");
}

TEST_CASE("dbmate directory: a paired file beside dbmate files, and duplicate versions, are refused") {
    TempDir mixed;
    const fs::path dbmate = mixed.write("0001_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
    const fs::path paired = mixed.write("0002_b.up.sql", "SELECT 1;\n");
    const auto f = load_failure(mixed.path());
    CHECK(f.code == spotctl::Exit::data);
    CHECK(f.message == paired.string() + ": an up or down file (NNNN_name.up.sql) in a directory that also holds a dbmate "
                                         "file (NNNN_name.sql), '" + dbmate.string() + "'");
    TempDir twice;
    const fs::path a = twice.write("20240101120000_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
    const fs::path b = twice.write("20240101120000_b.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n");
    CHECK(load_failure(twice.path()).message ==
          b.string() + ": version 20240101120000 is also used by '" + a.string() + "'");
}
