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

TEST_CASE("csv: header and rows, every field quoted, CRLF line ends") {
    const auto out = csv({{"id", CellType::integer}, {"name", CellType::text}, {"price", CellType::number}},
                         {{"1", "apple", "0.5"}, {"2", "pear", "12"}});
    CHECK(out == "\"id\",\"name\",\"price\"\r\n"
                 "\"1\",\"apple\",\"0.5\"\r\n"
                 "\"2\",\"pear\",\"12\"\r\n");
}

TEST_CASE("csv: no header when csv_header is off") {
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv({{"id", CellType::integer}}, {{"1"}}, options) == "\"1\"\r\n");
    CHECK(csv({{"id", CellType::integer}}, {}, options).empty());
}

TEST_CASE("csv: an empty result is the header alone") {
    CHECK(csv({{"id", CellType::integer}, {"name", CellType::text}}, {}) == "\"id\",\"name\"\r\n");
}

TEST_CASE("csv: commas, quotes, CR and LF stay inside a quoted field") {
    CHECK(text_cell("a,b") == "\"a,b\"\r\n");
    CHECK(text_cell("say \"hi\"") == "\"say \"\"hi\"\"\"\r\n");
    CHECK(text_cell("\"") == "\"\"\"\"\r\n");
    CHECK(text_cell("line1\r\nline2\nline3") == "\"line1\r\nline2\nline3\"\r\n");
}

TEST_CASE("csv: UTF-8 passes through unchanged") {
    CHECK(text_cell("Zürich ✓ 東京") == "\"Zürich ✓ 東京\"\r\n");
}

TEST_CASE("csv: a header name with a quote is escaped too") {
    CHECK(csv({{"a\"b", CellType::text}}, {}) == "\"a\"\"b\"\r\n");
}

TEST_CASE("csv: NULL is an empty unquoted field, the empty string is quoted") {
    const std::vector<Column> columns{{"a", CellType::text}, {"b", CellType::integer}, {"c", CellType::text}};
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv(columns, {{std::nullopt, "1", std::nullopt}}, options) == ",\"1\",\r\n");
    CHECK(csv(columns, {{"", std::nullopt, "x"}}, options) == "\"\",,\"x\"\r\n");
    CHECK(csv(columns, {{std::nullopt, std::nullopt, std::nullopt}}, options) == ",,\r\n");
}

TEST_CASE("csv: formula guard on text cells starting with = + - @ tab or CR") {
    CHECK(text_cell("=SUM(A1:A9)") == "\"'=SUM(A1:A9)\"\r\n");
    CHECK(text_cell("+1") == "\"'+1\"\r\n");
    CHECK(text_cell("-1") == "\"'-1\"\r\n");
    CHECK(text_cell("@cmd") == "\"'@cmd\"\r\n");
    CHECK(text_cell("\tx") == "\"'\tx\"\r\n");
    CHECK(text_cell("\rx") == "\"'\rx\"\r\n");
    CHECK(text_cell("=\"quoted\"") == "\"'=\"\"quoted\"\"\"\r\n");
}

TEST_CASE("csv: no formula guard where the danger is not at the start") {
    CHECK(text_cell("a=1") == "\"a=1\"\r\n");
    CHECK(text_cell(" =1") == "\" =1\"\r\n");
    CHECK(text_cell("'=1") == "\"'=1\"\r\n");
    CHECK(text_cell("\nx") == "\"\nx\"\r\n");
    CHECK(text_cell("") == "\"\"\r\n");
}

TEST_CASE("csv: the formula guard also covers json cells") {
    CHECK(typed_cell(CellType::json, "-1") == "\"'-1\"\r\n");
    CHECK(typed_cell(CellType::json, "{\"a\":1}") == "\"{\"\"a\"\":1}\"\r\n");
}

TEST_CASE("csv: no formula guard for integer and number columns") {
    CHECK(typed_cell(CellType::integer, "-5") == "\"-5\"\r\n");
    CHECK(typed_cell(CellType::integer, "+5") == "\"+5\"\r\n");
    CHECK(typed_cell(CellType::number, "-1.5") == "\"-1.5\"\r\n");
    CHECK(typed_cell(CellType::number, "-Infinity") == "\"-Infinity\"\r\n");
}

TEST_CASE("csv: csv_raw disables the formula guard") {
    CHECK(text_cell("=SUM(A1:A9)", true) == "\"=SUM(A1:A9)\"\r\n");
    CHECK(text_cell("-1", true) == "\"-1\"\r\n");
    CHECK(text_cell("@cmd", true) == "\"@cmd\"\r\n");
    CHECK(text_cell("\tx", true) == "\"\tx\"\r\n");
}

TEST_CASE("csv: cells beyond the declared columns are guarded as text") {
    WriterOptions options;
    options.csv_header = false;
    CHECK(csv({{"n", CellType::integer}}, {{"-1", "-1"}}, options) == "\"-1\",\"'-1\"\r\n");
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
