#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/sql_splitter.hpp"

using spotctl::sql::split;

namespace {

std::vector<std::string> texts(std::string_view script) {
    std::vector<std::string> out;
    for (const auto& statement : split(script)) out.push_back(statement.text);
    return out;
}

// The message split() throws with, or "" when it does not throw.
std::string split_error(std::string_view script) {
    try {
        split(script);
    } catch (const spotctl::Error& e) {
        CHECK(e.code() == spotctl::Exit::data);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("sql splitter: plain statements") {
    CHECK(texts("SELECT 1; SELECT 2;") == std::vector<std::string>{"SELECT 1", "SELECT 2"});
    CHECK(texts("  \n select 1 ;\n\n;; ; insert into t values (1)\t;\n") ==
          std::vector<std::string>{"select 1", "insert into t values (1)"});
    CHECK(texts("").empty());
    CHECK(texts(" \n\t ;;; ").empty());
}

TEST_CASE("sql splitter: a final statement without a semicolon is kept") {
    CHECK(texts("SELECT 1;\nSELECT 2\n") == std::vector<std::string>{"SELECT 1", "SELECT 2"});
    CHECK(texts("SELECT 2 -- no semicolon") == std::vector<std::string>{"SELECT 2"});
}

TEST_CASE("sql splitter: scripts of only comments give no statements") {
    CHECK(texts("-- nothing here;\n/* nor; here */\n  -- ;").empty());
    CHECK(texts("SELECT 1;\n-- trailing comment after the last statement;\n") ==
          std::vector<std::string>{"SELECT 1"});
    CHECK(texts("/* a */ ; -- b\n;").empty());
}

TEST_CASE("sql splitter: comments around a statement are trimmed, inner ones kept") {
    const auto statements = split("-- header\n/* lead */ SELECT /* inner; */ 1 -- tail;\n;");
    REQUIRE(statements.size() == 1);
    CHECK(statements[0].text == "SELECT /* inner; */ 1");
    CHECK(statements[0].line == 2);
    CHECK(statements[0].column == 12);
}

TEST_CASE("sql splitter: line, column and offset") {
    const std::string script = "SELECT 1;\n  SELECT 'a\nb;\nc';\n\n\tSELECT 3; SELECT 4;";
    const auto statements = split(script);
    REQUIRE(statements.size() == 4);
    CHECK(statements[0].line == 1);
    CHECK(statements[0].column == 1);
    CHECK(statements[0].offset == 0);
    CHECK(statements[1].line == 2);
    CHECK(statements[1].column == 3);
    CHECK(statements[1].offset == 12);
    CHECK(statements[1].text == "SELECT 'a\nb;\nc'");
    // After a string spanning lines, positions still count those lines.
    CHECK(statements[2].line == 6);
    CHECK(statements[2].column == 2);
    CHECK(statements[2].offset == script.find("SELECT 3"));
    CHECK(statements[3].line == 6);
    CHECK(statements[3].column == 12);
    CHECK(statements[3].offset == script.find("SELECT 4"));
}

TEST_CASE("sql splitter: CRLF line ends") {
    const std::string script = "SELECT 1;\r\n-- c;\r\nSELECT $$x\r\n;y$$;\r\n  SELECT 3;\r\n";
    const auto statements = split(script);
    REQUIRE(statements.size() == 3);
    CHECK(statements[1].text == "SELECT $$x\r\n;y$$");
    CHECK(statements[1].line == 3);
    CHECK(statements[1].column == 1);
    CHECK(statements[2].line == 5);
    CHECK(statements[2].column == 3);
    CHECK(statements[2].offset == script.find("SELECT 3"));
}

TEST_CASE("sql splitter: strings") {
    CHECK(texts("SELECT 'a;b'; SELECT 2") == std::vector<std::string>{"SELECT 'a;b'", "SELECT 2"});
    CHECK(texts("SELECT 'it''s; fine'; SELECT 2") ==
          std::vector<std::string>{"SELECT 'it''s; fine'", "SELECT 2"});
    CHECK(texts("SELECT '';SELECT ''''") == std::vector<std::string>{"SELECT ''", "SELECT ''''"});
    // A backslash is not special in a standard string: the string ends at the quote.
    CHECK(texts(R"(SELECT 'a\'; SELECT 2)") == std::vector<std::string>{R"(SELECT 'a\')", "SELECT 2"});
}

TEST_CASE("sql splitter: E strings with backslash escapes") {
    CHECK(texts(R"(SELECT E'it\'s; here'; SELECT 2)") ==
          std::vector<std::string>{R"(SELECT E'it\'s; here')", "SELECT 2"});
    CHECK(texts(R"(SELECT e'\\'; SELECT 2)") == std::vector<std::string>{R"(SELECT e'\\')", "SELECT 2"});
    CHECK(texts(R"(SELECT E'a''b;c'; SELECT 2)") ==
          std::vector<std::string>{R"(SELECT E'a''b;c')", "SELECT 2"});
    // Only a lone E prefixes a string: in `name'...'` the backslash is ordinary.
    CHECK(texts(R"(SELECT name'a\'; SELECT 2)") == std::vector<std::string>{R"(SELECT name'a\')", "SELECT 2"});
}

TEST_CASE("sql splitter: U& strings and identifiers") {
    CHECK(texts(R"(SELECT U&'d\0061t;a'; SELECT u&"x;y"; SELECT 3)") ==
          std::vector<std::string>{R"(SELECT U&'d\0061t;a')", R"(SELECT u&"x;y")", "SELECT 3"});
}

TEST_CASE("sql splitter: quoted identifiers") {
    CHECK(texts(R"(SELECT 1 AS "a;b"; SELECT "x""y;"; SELECT 3)") ==
          std::vector<std::string>{R"(SELECT 1 AS "a;b")", R"(SELECT "x""y;")", "SELECT 3"});
    CHECK(texts(R"(SELECT "it's"; SELECT 2)") == std::vector<std::string>{R"(SELECT "it's")", "SELECT 2"});
}

TEST_CASE("sql splitter: dollar quotes") {
    CHECK(texts("SELECT $$a;b$$; SELECT 2") == std::vector<std::string>{"SELECT $$a;b$$", "SELECT 2"});
    CHECK(texts("SELECT $tag$a;$$;'b$tag$; SELECT 2") ==
          std::vector<std::string>{"SELECT $tag$a;$$;'b$tag$", "SELECT 2"});
    CHECK(texts("SELECT $_x1$;$_x1$; SELECT $é$;$é$") ==
          std::vector<std::string>{"SELECT $_x1$;$_x1$", "SELECT $é$;$é$"});
    // Tags are case-sensitive: $A$ does not close $a$.
    CHECK(texts("SELECT $a$ ; $A$ ; $a$; SELECT 2") ==
          std::vector<std::string>{"SELECT $a$ ; $A$ ; $a$", "SELECT 2"});
    // A $ inside an identifier does not open a quote.
    CHECK(texts("SELECT a$$b; SELECT 2") == std::vector<std::string>{"SELECT a$$b", "SELECT 2"});
}

TEST_CASE("sql splitter: nested dollar quotes") {
    const std::string script =
        "CREATE FUNCTION f() RETURNS void AS $fn$\n"
        "BEGIN\n"
        "  EXECUTE $body$SELECT 1;$body$;\n"
        "  PERFORM $$;$$;\n"
        "END\n"
        "$fn$ LANGUAGE plpgsql;\n"
        "SELECT 2;";
    const auto statements = split(script);
    REQUIRE(statements.size() == 2);
    CHECK(statements[0].text == script.substr(0, script.find(";\nSELECT 2")));
    CHECK(statements[1].text == "SELECT 2");
    CHECK(statements[1].line == 7);
}

TEST_CASE("sql splitter: $1 parameters are not dollar quotes") {
    CHECK(texts("PREPARE p AS SELECT $1, $2; EXECUTE p(1, 2); SELECT $3") ==
          std::vector<std::string>{"PREPARE p AS SELECT $1, $2", "EXECUTE p(1, 2)", "SELECT $3"});
    CHECK(texts("SELECT $1$; SELECT 2") == std::vector<std::string>{"SELECT $1$", "SELECT 2"});
}

TEST_CASE("sql splitter: DO blocks and a plain transaction") {
    const std::string script =
        "BEGIN;\n"
        "DO $$\nBEGIN\n  IF true THEN RAISE NOTICE 'x;'; END IF;\nEND\n$$;\n"
        "DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$;\n"
        "COMMIT;";
    const auto out = texts(script);
    REQUIRE(out.size() == 4);
    CHECK(out[0] == "BEGIN");
    CHECK(out[1] == "DO $$\nBEGIN\n  IF true THEN RAISE NOTICE 'x;'; END IF;\nEND\n$$");
    CHECK(out[2] == "DO LANGUAGE plpgsql $do$ BEGIN PERFORM 1; END $do$");
    CHECK(out[3] == "COMMIT");
    CHECK(texts("begin; begin transaction; start transaction; end; select 1") ==
          std::vector<std::string>{"begin", "begin transaction", "start transaction", "end", "select 1"});
}

TEST_CASE("sql splitter: CREATE FUNCTION with a plpgsql body") {
    const std::string function =
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  NEW.updated_at := now(); -- keep it fresh;\n"
        "  RETURN NEW;\n"
        "END;\n"
        "$$";
    const auto out = texts(function + ";\nCREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION touch();");
    REQUIRE(out.size() == 2);
    CHECK(out[0] == function);
    CHECK(out[1] == "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW EXECUTE FUNCTION touch()");
}

TEST_CASE("sql splitter: BEGIN ATOMIC bodies stay one statement") {
    const std::string function =
        "CREATE FUNCTION grade(score int) RETURNS text\n"
        "LANGUAGE sql\n"
        "begin /* c */ Atomic\n"
        "  INSERT INTO audit VALUES (score);\n"
        "  SELECT CASE WHEN score > 50 THEN 'pass;' ELSE CASE WHEN score > 0 THEN 'low' END END;\n"
        "  SELECT 1;\n"
        "END";
    const auto statements = split(function + ";\nSELECT 2;");
    REQUIRE(statements.size() == 2);
    CHECK(statements[0].text == function);
    CHECK(statements[1].text == "SELECT 2");
    CHECK(statements[1].line == 8);

    CHECK(texts("CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END; CALL p()") ==
          std::vector<std::string>{"CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END", "CALL p()"});
    // The words must be adjacent keywords: a string or a ';' between them does not count.
    CHECK(texts("SELECT 'begin' atomic; SELECT 2") == std::vector<std::string>{"SELECT 'begin' atomic", "SELECT 2"});
    CHECK(texts("BEGIN; ATOMIC; END") == std::vector<std::string>{"BEGIN", "ATOMIC", "END"});
}

TEST_CASE("sql splitter: a semicolon inside parentheses does not split") {
    CHECK(texts("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t); SELECT 2") ==
          std::vector<std::string>{"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t)",
                                   "SELECT 2"});
    // A stray ')' does not make the depth negative.
    CHECK(texts("SELECT 1); SELECT 2") == std::vector<std::string>{"SELECT 1)", "SELECT 2"});
}

TEST_CASE("sql splitter: nested block comments") {
    const std::string script = "SELECT /* outer; /* inner; */ still comment; */ 1; /* a /* b */ */ SELECT 2";
    CHECK(texts(script) == std::vector<std::string>{"SELECT /* outer; /* inner; */ still comment; */ 1", "SELECT 2"});
    CHECK(texts("/**/SELECT 1;/***/SELECT 2;/* ** / */SELECT 3") ==
          std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"});
}

TEST_CASE("sql splitter: line comments") {
    CHECK(texts("SELECT 1 -- ; not a split\n+ 1; SELECT '--';--x\nSELECT 3") ==
          std::vector<std::string>{"SELECT 1 -- ; not a split\n+ 1", "SELECT '--'", "SELECT 3"});
    CHECK(texts("SELECT 1 --;\r;SELECT 2") == std::vector<std::string>{"SELECT 1", "SELECT 2"});
}

TEST_CASE("sql splitter: unterminated constructs throw with their position") {
    CHECK(split_error("SELECT 1;\n  SELECT 'abc;") == "unterminated quoted string starting at line 2 column 10");
    CHECK(split_error("SELECT E'abc\\';") == "unterminated quoted string starting at line 1 column 8");
    CHECK(split_error("SELECT U&'abc") == "unterminated quoted string starting at line 1 column 8");
    CHECK(split_error("SELECT \"abc;\n") == "unterminated quoted identifier starting at line 1 column 8");
    CHECK(split_error("SELECT \"a\"\"") == "unterminated quoted identifier starting at line 1 column 8");
    CHECK(split_error("SELECT 1;\r\nDO $x$ BEGIN END $X$;") ==
          "unterminated dollar-quoted string starting at line 2 column 4");
    CHECK(split_error("SELECT $$") == "unterminated dollar-quoted string starting at line 1 column 8");
    CHECK(split_error("SELECT 1; /* a /* b */ ;") == "unterminated block comment starting at line 1 column 11");
    CHECK(split_error("/*") == "unterminated block comment starting at line 1 column 1");
    CHECK(split_error("SELECT 'ok'; -- 'not a string") == "");
}

TEST_CASE("sql splitter: tokenize") {
    using spotctl::sql::TokenKind;
    const std::string text = "ALTER TABLE \"T\" ADD x int DEFAULT E'a' -- c\n/* d */ $1 $$e$$ 1.5;";
    std::vector<std::pair<TokenKind, std::string>> got;
    for (const auto& t : spotctl::sql::tokenize(text)) got.emplace_back(t.kind, text.substr(t.offset, t.length));
    const std::vector<std::pair<TokenKind, std::string>> want{
        {TokenKind::word, "ALTER"},       {TokenKind::word, "TABLE"},
        {TokenKind::quoted_identifier, "\"T\""}, {TokenKind::word, "ADD"},
        {TokenKind::word, "x"},           {TokenKind::word, "int"},
        {TokenKind::word, "DEFAULT"},     {TokenKind::string, "E'a'"},
        {TokenKind::parameter, "$1"},     {TokenKind::dollar_string, "$$e$$"},
        {TokenKind::number, "1.5"},       {TokenKind::symbol, ";"},
    };
    CHECK(got == want);
}

TEST_CASE("sql splitter: random bytes either split or throw spotctl::Error") {
    std::mt19937 rng(12345);
    // Mostly SQL-significant bytes, so quotes, comments and tags really get exercised.
    using namespace std::string_literals;  // the alphabet holds a NUL
    const std::string alphabet = "'\"$;/*-\\eEuU&aAtTbB_1 \n\r()\0\xff\x80"s + "BEGIN ATOMIC CASE END";
    std::size_t thrown = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string script(std::uniform_int_distribution<std::size_t>(0, 64)(rng), '\0');
        const bool any_byte = round % 4 == 0;
        for (char& c : script) {
            c = any_byte ? static_cast<char>(rng() & 0xff)
                         : alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
        }
        try {
            std::size_t previous = 0;
            for (const auto& statement : split(script)) {
                REQUIRE(statement.offset >= previous);
                REQUIRE(statement.offset + statement.text.size() <= script.size());
                REQUIRE(script.compare(statement.offset, statement.text.size(), statement.text) == 0);
                REQUIRE(statement.line >= 1);
                REQUIRE(statement.column >= 1);
                previous = statement.offset + statement.text.size();
            }
        } catch (const spotctl::Error& e) {
            REQUIRE(e.code() == spotctl::Exit::data);
            ++thrown;
        }
    }
    CHECK(thrown > 0);
}

TEST_CASE("sql splitter: large inputs split in linear time") {
    std::string script;
    for (int i = 0; i < 20000; ++i) script += "SELECT 'x;' /* c; */ , $a$;$a$ FROM t; -- z\n";
    // A long dollar tag against a body full of near-miss tags.
    script += "SELECT $" + std::string(2000, 't') + "$";
    for (int i = 0; i < 200; ++i) script += "$" + std::string(1999, 't') + "x";
    script += "$" + std::string(2000, 't') + "$;";
    const auto statements = split(script);
    CHECK(statements.size() == 20001);
}
