#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "exporters/csv_writer.hpp"

using namespace spotctl::exporters;

namespace {

std::string csv(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                WriterOptions options = {}) {
    std::ostringstream out;
    CsvWriter writer(out, options);
    writer.begin(columns);
    for (const auto& r : rows) writer.row(r);
    writer.end();
    return out.str();
}

// One text column, no header: the CSV form of a single cell.
std::string text_cell(const std::string& value, bool raw = false) {
    WriterOptions options;
    options.csv_header = false;
    options.csv_raw = raw;
    return csv({{"v", CellType::text}}, {{value}}, options);
}

std::string typed_cell(CellType type, const std::string& value) {
    WriterOptions options;
    options.csv_header = false;
    return csv({{"v", type}}, {{value}}, options);
}

}  // namespace

TEST_CASE("csv: header and rows, quoted only where needed, LF line ends") {
    const auto out = csv({{"id", CellType::integer}, {"name", CellType::text}, {"price", CellType::number}},
                         {{"1", "apple", "0.5"}, {"2", "pear", "12"}});
    CHECK(out == "id,name,price\n"
                 "1,apple,0.5\n"
                 "2,pear,12\n");
}

TEST_CASE("csv: no header when csv_header is off") {
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv({{"id", CellType::integer}}, {{"1"}}, options) == "1\n");
    CHECK(csv({{"id", CellType::integer}}, {}, options).empty());
}

TEST_CASE("csv: an empty result is the header alone") {
    CHECK(csv({{"id", CellType::integer}, {"name", CellType::text}}, {}) == "id,name\n");
}

TEST_CASE("csv: commas, quotes, CR and LF make a field quoted, and quotes inside are doubled") {
    CHECK(text_cell("a,b") == "\"a,b\"\n");
    CHECK(text_cell("say \"hi\"") == "\"say \"\"hi\"\"\"\n");
    CHECK(text_cell("\"") == "\"\"\"\"\n");
    CHECK(text_cell("\"\"") == "\"\"\"\"\"\"\n");
    CHECK(text_cell("line1\r\nline2\nline3") == "\"line1\r\nline2\nline3\"\n");
    CHECK(text_cell("cr\ronly") == "\"cr\ronly\"\n");
    CHECK(text_cell("x\n") == "\"x\n\"\n");
}

TEST_CASE("csv: what RFC 4180 does not need quoted is written as it is") {
    // Spaces, tabs inside, single quotes, semicolons, backslashes: no quotes (as PostgreSQL).
    for (const char* text : {" padded ", "tab\tinside", "it's", "a;b", "back\\slash", "\\N", "NULL", "x'", "\\", "\\.x"}) {
        CAPTURE(text);
        CHECK(text_cell(text) == std::string(text) + "\n");
    }
}

TEST_CASE("csv: UTF-8 passes through unchanged and unquoted") {
    CHECK(text_cell("Zürich ✓ 東京") == "Zürich ✓ 東京\n");
    CHECK(text_cell("Zürich, 東京") == "\"Zürich, 東京\"\n");
}

TEST_CASE("csv: header names follow the same rules") {
    CHECK(csv({{"a\"b", CellType::text}}, {}) == "\"a\"\"b\"\n");
    CHECK(csv({{"a,b", CellType::text}, {"c", CellType::text}}, {}) == "\"a,b\",c\n");
    CHECK(csv({{"", CellType::text}, {"c", CellType::text}}, {}) == "\"\",c\n");
}

TEST_CASE("csv: NULL is an empty unquoted field, the empty string is quoted") {
    const std::vector<Column> columns{{"a", CellType::text}, {"b", CellType::integer}, {"c", CellType::text}};
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv(columns, {{std::nullopt, "1", std::nullopt}}, options) == ",1,\n");
    CHECK(csv(columns, {{"", std::nullopt, "x"}}, options) == "\"\",,x\n");
    CHECK(csv(columns, {{std::nullopt, std::nullopt, std::nullopt}}, options) == ",,\n");
    CHECK(text_cell("") == "\"\"\n");
}

TEST_CASE("csv: a lone backslash-dot is quoted only as the single field of its row, as PostgreSQL does") {
    CHECK(text_cell("\\.") == "\"\\.\"\n");
    CHECK(csv({{"\\.", CellType::text}}, {}) == "\"\\.\"\n");
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv({{"a", CellType::text}, {"b", CellType::text}}, {{"\\.", "x"}}, options) == "\\.,x\n");
}

TEST_CASE("csv: formula guard on text cells starting with = + - @ tab or CR, quoted when the guarded text needs it") {
    CHECK(text_cell("=SUM(A1:A9)") == "'=SUM(A1:A9)\n");
    CHECK(text_cell("+1") == "'+1\n");
    CHECK(text_cell("-1") == "'-1\n");
    CHECK(text_cell("@cmd") == "'@cmd\n");
    CHECK(text_cell("\tx") == "'\tx\n");
    CHECK(text_cell("\rx") == "\"'\rx\"\n");
    CHECK(text_cell("=\"quoted\"") == "\"'=\"\"quoted\"\"\"\n");
    CHECK(text_cell("=1,2") == "\"'=1,2\"\n");
}

TEST_CASE("csv: no formula guard where the danger is not at the start") {
    CHECK(text_cell("a=1") == "a=1\n");
    CHECK(text_cell(" =1") == " =1\n");
    CHECK(text_cell("'=1") == "'=1\n");
    CHECK(text_cell("\nx") == "\"\nx\"\n");
}

TEST_CASE("csv: the formula guard also covers json cells") {
    CHECK(typed_cell(CellType::json, "-1") == "'-1\n");
    CHECK(typed_cell(CellType::json, "{\"a\": 1}") == "\"{\"\"a\"\": 1}\"\n");
}

TEST_CASE("csv: no formula guard for integer, number, boolean and timestamp columns") {
    CHECK(typed_cell(CellType::integer, "-5") == "-5\n");
    CHECK(typed_cell(CellType::integer, "+5") == "+5\n");
    CHECK(typed_cell(CellType::number, "-1.5") == "-1.5\n");
    CHECK(typed_cell(CellType::number, "-Infinity") == "-Infinity\n");
    CHECK(typed_cell(CellType::boolean, "t") == "t\n");
    CHECK(typed_cell(CellType::timestamp, "-infinity") == "-infinity\n");
}

TEST_CASE("csv: csv_raw disables the formula guard") {
    CHECK(text_cell("=SUM(A1:A9)", true) == "=SUM(A1:A9)\n");
    CHECK(text_cell("-1", true) == "-1\n");
    CHECK(text_cell("@cmd", true) == "@cmd\n");
    CHECK(text_cell("\tx", true) == "\tx\n");
    CHECK(text_cell("\rx", true) == "\"\rx\"\n");
}

TEST_CASE("csv: cells beyond the declared columns are guarded as text") {
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv({{"n", CellType::integer}}, {{"-1", "-1"}}, options) == "-1,'-1\n");
}

TEST_CASE("csv: csv_needs_quotes") {
    for (const char* text : {"", ",", "\"", "\r", "\n", "a,b", "a\"b"}) {
        CAPTURE(text);
        CHECK(csv_needs_quotes(text, false));
        CHECK(csv_needs_quotes(text, true));
    }
    for (const char* text : {"a", " ", "\t", "'", "=1", "é", "\\N"}) {
        CAPTURE(text);
        CHECK_FALSE(csv_needs_quotes(text, false));
        CHECK_FALSE(csv_needs_quotes(text, true));
    }
    CHECK(csv_needs_quotes("\\.", true));
    CHECK_FALSE(csv_needs_quotes("\\.", false));
}

TEST_CASE("csv: looks_like_formula") {
    for (const char* text : {"=", "+", "-", "@", "\t", "\r", "=1+1", "-2"}) {
        CAPTURE(text);
        CHECK(looks_like_formula(text));
    }
    for (const char* text : {"", "a", "1", " =", "'=", "\n", "é"}) {
        CAPTURE(text);
        CHECK_FALSE(looks_like_formula(text));
    }
}
