// The fixture CSV reader: records, NULL versus empty, and the line each record starts on.
#include <catch2/catch.hpp>

#include "commands/seed/csv_reader.hpp"
#include "core/errors.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl;

namespace {
std::vector<seed::CsvRecord> read_all(const std::string& content) {
    test::TempDir dir;
    seed::CsvReader reader(dir.write("t.csv", content));
    std::vector<seed::CsvRecord> out;
    seed::CsvRecord r;
    while (reader.next(r)) out.push_back(r);
    return out;
}
}  // namespace

TEST_CASE("csv reader: quoted fields, NULL and empty, embedded newlines keep their start line") {
    auto records = read_all("id,name,note\n1,\"a \"\"b\"\", c\",\n2,\"\",\"two\nlines\"\n3,x,y\n");
    REQUIRE(records.size() == 4);
    CHECK(records[1].fields[1] == std::optional<std::string>("a \"b\", c"));
    CHECK(records[1].fields[2] == std::nullopt);
    CHECK(records[2].fields[1] == std::optional<std::string>(""));
    CHECK(records[2].fields[2] == std::optional<std::string>("two\nlines"));
    CHECK(records[2].line == 3);
    CHECK(records[3].line == 5);
}

// Found by fuzz_csv_reader: a record after a lone CR was placed on the next line, past the end
// of the file for the last one.
TEST_CASE("csv reader: a record after a lone CR starts on the same line, and CRLF is one line end") {
    auto records = read_all("a,b\r1,2\r\n3,4\n");
    REQUIRE(records.size() == 3);
    CHECK(records[0].line == 1);
    CHECK(records[1].line == 1);
    CHECK(records[2].line == 2);
}

TEST_CASE("csv reader: a stray quote is reported with file, line and column") {
    test::TempDir dir;
    auto path = dir.write("bad.csv", "a,b\n1,x\"y\n");
    seed::CsvReader reader(path);
    seed::CsvRecord r;
    REQUIRE(reader.next(r));
    try {
        reader.next(r);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).rfind(path.string() + ":2:", 0) == 0);
        CHECK(e.code() == Exit::data);
    }
}
