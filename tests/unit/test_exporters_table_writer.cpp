#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "exporters/table_writer.hpp"

using namespace spotctl::exporters;

namespace {

std::string table(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows,
                  WriterOptions options = {}) {
    std::ostringstream out;
    TableWriter writer(out, options);
    writer.begin(columns);
    for (const auto& r : rows) writer.row(r);
    writer.end();
    return out.str();
}

const std::vector<Column> columns{{"name", CellType::text}, {"count", CellType::integer}, {"note", CellType::text}};

}  // namespace

TEST_CASE("table: text left-aligned, numbers right-aligned, two spaces between columns") {
    CHECK(table(columns, {{"alpha", "5", "x"}, {"b", "1234", std::nullopt}, {"gamma", "-2", "ok"}}) ==
          "name   count  note\n"
          "alpha      5  x\n"
          "b       1234\n"
          "gamma     -2  ok\n");
}

TEST_CASE("table: a number column last is padded on the left") {
    CHECK(table({{"k", CellType::text}, {"ratio", CellType::number}}, {{"a", "0.5"}, {"bb", "12.25"}}) ==
          "k   ratio\n"
          "a     0.5\n"
          "bb  12.25\n");
}

TEST_CASE("table: widths count UTF-8 characters, not bytes") {
    CHECK(table({{"city", CellType::text}, {"n", CellType::integer}}, {{"Zürich", "1"}, {"café", "22"}, {"Oslo", "3"}}) ==
          "city    n\n"
          "Zürich   1\n"
          "café    22\n"
          "Oslo     3\n");
}

TEST_CASE("table: display_width") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("Zürich") == 6);
    CHECK(display_width("✓") == 1);
    CHECK(display_width("😀x") == 2);
}

TEST_CASE("table: newlines and tabs inside a cell become spaces") {
    CHECK(table({{"a", CellType::text}, {"b", CellType::text}}, {{"x\ny", "1\t2\r3"}}) ==
          "a    b\n"
          "x y  1 2 3\n");
}

TEST_CASE("table: an empty result prints the header only") {
    CHECK(table(columns, {}) == "name  count  note\n");
}

TEST_CASE("table: a bold header with color") {
    WriterOptions options;
    options.color = true;
    CHECK(table({{"id", CellType::integer}}, {{"7"}}, options) == "\033[1mid\033[0m\n 7\n");
}

TEST_CASE("table: nothing is printed before end(), and end() is idempotent") {
    std::ostringstream out;
    TableWriter writer(out, {});
    writer.begin({{"id", CellType::integer}});
    writer.row({"1"});
    CHECK(out.str().empty());
    writer.end();
    writer.end();
    CHECK(out.str() == "id\n 1\n");
}

TEST_CASE("table: short rows are padded, extra cells ignored") {
    CHECK(table(columns, {{"a"}, {"b", "1", "n", "extra"}}) ==
          "name  count  note\n"
          "a\n"
          "b         1  n\n");
}

TEST_CASE("table: max_width cuts the widest text column with an ellipsis, never a number") {
    WriterOptions narrow;
    narrow.max_width = 24;
    std::string long_note = "a note far longer than the terminal is wide";
    // name 5 + 2 + count 5 + 2 + note 10 = 24: only the note gives way.
    CHECK(table(columns, {{"alpha", "12345", long_note}}, narrow) ==
          "name   count  note\n"
          "alpha  12345  a note fa…\n");
    // Multi-byte text is cut by code points, not bytes.
    WriterOptions eight;
    eight.max_width = 8;
    CHECK(table({{"t", CellType::text}}, {{"ééééééééééé"}}, eight) == "t\nééééééé…\n");
    // A line that cannot fit keeps its text columns at a readable six cells rather than none.
    narrow.max_width = 5;
    CHECK(table(columns, {{"alpha", "12345", long_note}}, narrow) ==
          "name   count  note\n"
          "alpha  12345  a not…\n");
    // No limit: every character.
    CHECK(table(columns, {{"alpha", "1", long_note}}).find(long_note) != std::string::npos);
}
