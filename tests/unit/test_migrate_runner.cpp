#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "commands/migrate/runner.hpp"

using spotctl::migrate::error_line;

TEST_CASE("migrate runner: error_line reads LINE n: at the start of the message") {
    CHECK(error_line("LINE 12: SELEC 1;") == std::optional<long long>(12));
    CHECK(error_line("LINE 1:") == std::optional<long long>(1));
}

TEST_CASE("migrate runner: error_line reads LINE n: at the start of a later line") {
    const std::string message =
        "ERROR:  syntax error at or near \"SELEC\"\n"
        "LINE 12: SELEC 1;\n"
        "         ^\n";
    CHECK(error_line(message) == std::optional<long long>(12));
    CHECK(error_line("ERROR:  column \"x\" does not exist\nLINE 3: SELECT x FROM t\n               ^\nHINT:  ...") ==
          std::optional<long long>(3));
}

TEST_CASE("migrate runner: error_line ignores LINE that does not start a line") {
    CHECK_FALSE(error_line("ERROR:  oops\nXLINE 3: nope").has_value());
    CHECK_FALSE(error_line("ERROR:  see LINE 4: inside the text").has_value());
    CHECK(error_line("ERROR:  oops\nXLINE 3: nope\nLINE 9: yes") == std::optional<long long>(9));
}

TEST_CASE("migrate runner: error_line needs digits then a colon") {
    CHECK_FALSE(error_line("LINE :").has_value());
    CHECK_FALSE(error_line("LINE 7").has_value());
    CHECK_FALSE(error_line("LINE 7 : x").has_value());
    CHECK_FALSE(error_line("LINE x: y").has_value());
    CHECK_FALSE(error_line("line 7: lower case").has_value());
    CHECK(error_line("LINE x: y\nLINE 8: z") == std::optional<long long>(8));
}

TEST_CASE("migrate runner: error_line without a LINE pointer") {
    CHECK_FALSE(error_line("").has_value());
    CHECK_FALSE(error_line("ERROR:  relation \"t\" does not exist").has_value());
    CHECK_FALSE(error_line("ERROR:  canceling statement due to lock timeout\n").has_value());
}

TEST_CASE("migrate runner: a script wrapped in BEGIN and COMMIT loses only those two, keeping its lines") {
    using spotctl::migrate::without_wrapping_transaction;
    CHECK(without_wrapping_transaction("BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n") ==
          "     ;\nCREATE TABLE a (id int);\n      ;\n");
    CHECK(without_wrapping_transaction("-- wrapped\nbegin  transaction;\nSELECT 1;\n/* done */ end;") ==
          "-- wrapped\n                  ;\nSELECT 1;\n/* done */    ;");
    CHECK(without_wrapping_transaction("START TRANSACTION;\nSELECT 1;\nCOMMIT WORK;\n") ==
          "                 ;\nSELECT 1;\n           ;\n");
}

TEST_CASE("migrate runner: any other script is left as it is") {
    using spotctl::migrate::without_wrapping_transaction;
    for (const char* sql : {
             "CREATE TABLE a (id int);\n",
             "BEGIN;\nCREATE TABLE a (id int);\n",                                  // no COMMIT
             "CREATE TABLE a (id int);\nCOMMIT;\n",                                 // no BEGIN
             "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;\n",            // two blocks
             "BEGIN;\nSELECT 1;\nROLLBACK;\n",                                      // not a commit
             "BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;\n",           // a setting of its own
             "DO $$ BEGIN PERFORM 1; END $$;\nSELECT 2;\n",                         // BEGIN inside a body
             "BEGIN;\nSELECT $$unterminated;\nCOMMIT;\n",
             "COMMIT;",
         }) {
        CAPTURE(sql);
        CHECK(without_wrapping_transaction(sql) == sql);
    }
}
