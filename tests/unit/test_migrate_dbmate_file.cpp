// dbmate's one-file format: sections, options, line numbers as the file has them, and the
// malformed files dbmate itself refuses.
#include <catch2/catch.hpp>

#include <string>

#include "commands/migrate/dbmate_file.hpp"
#include "commands/migrate/migration_files.hpp"
#include "core/errors.hpp"

using namespace spotctl::migrate;

namespace {

std::string parse_failure(const std::string& text, spotctl::Exit* code = nullptr) {
    try {
        parse_dbmate("db/migrations/20240101120000_x.sql", text);
    } catch (const spotctl::Error& e) {
        if (code) *code = e.code();
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("dbmate file: up and down sections with their file lines") {
    const std::string text =
        "-- Orders, added in the 2024 rewrite.\n"
        "\n"
        "-- migrate:up\n"
        "CREATE TABLE orders (id bigint);\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"
        "\n"
        "-- migrate:down\n"
        "DROP FUNCTION f();\n"
        "DROP TABLE orders;\n";
    auto s = parse_dbmate("m/20240101120000_orders.sql", text);
    CHECK(s.up.sql ==
          "-- migrate:up\nCREATE TABLE orders (id bigint);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n\n");
    CHECK(s.up.first_line == 3);
    CHECK_FALSE(s.up.no_transaction);
    CHECK(s.up.location(2) == "m/20240101120000_orders.sql:4");
    REQUIRE(s.down.has_value());
    CHECK(s.down->sql == "-- migrate:down\nDROP FUNCTION f();\nDROP TABLE orders;\n");
    CHECK(s.down->first_line == 7);
    CHECK(s.down->location(3) == "m/20240101120000_orders.sql:9");
}

TEST_CASE("dbmate file: transaction:false on a section line runs that section outside a transaction") {
    auto s = parse_dbmate("m/1_i.sql",
                          "-- migrate:up transaction:false\r\nCREATE INDEX CONCURRENTLY i ON t (id);\r\n"
                          "--migrate:down  transaction:false\r\nDROP INDEX CONCURRENTLY i;\r\n");
    CHECK(s.up.no_transaction);
    REQUIRE(s.down.has_value());
    CHECK(s.down->no_transaction);

    auto only_up = parse_dbmate("m/1_i.sql", "-- migrate:up transaction:false other:x\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");
    CHECK(only_up.up.no_transaction);
    CHECK_FALSE(only_up.down->no_transaction);

    auto not_false = parse_dbmate("m/1_i.sql", "-- migrate:up transaction:true\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");
    CHECK_FALSE(not_false.up.no_transaction);
}

TEST_CASE("dbmate file: a down section without SQL is no down script") {
    auto s = parse_dbmate("m/1_x.sql", "-- migrate:up\nCREATE TABLE t ();\n\n-- migrate:down\n-- irreversible: data is gone\n\n");
    CHECK_FALSE(s.down.has_value());
}

TEST_CASE("dbmate file: what dbmate refuses is refused with file and line") {
    spotctl::Exit code = spotctl::Exit::ok;
    CHECK(parse_failure("CREATE TABLE t ();\n", &code) ==
          "db/migrations/20240101120000_x.sql: no '-- migrate:up' line: not a dbmate migration");
    CHECK(code == spotctl::Exit::data);
    CHECK(parse_failure("-- migrate:upgrade\nSELECT 1;\n-- migrate:down\n") ==
          "db/migrations/20240101120000_x.sql: no '-- migrate:up' line: not a dbmate migration");
    CHECK(parse_failure("-- migrate:up\nSELECT 1;\n") ==
          "db/migrations/20240101120000_x.sql: no '-- migrate:down' line after '-- migrate:up'");
    CHECK(parse_failure("-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 1;\n") ==
          "db/migrations/20240101120000_x.sql:1: '-- migrate:down' comes before '-- migrate:up' (line 3)");
    CHECK(parse_failure("-- header\nSET search_path = app;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n") ==
          "db/migrations/20240101120000_x.sql:2: SQL before the '-- migrate:up' line");
}
