#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "exporters/json_writer.hpp"
#include <nlohmann/json.hpp>

using namespace spotctl::exporters;

namespace {

std::string json(const std::vector<Column>& columns, const std::vector<std::vector<Cell>>& rows) {
    std::ostringstream out;
    JsonWriter writer(out);
    writer.begin(columns);
    for (const auto& r : rows) writer.row(r);
    writer.end();
    return out.str();
}

// The JSON of one cell of the given type, as it appears in {"v": ...}.
std::string cell(CellType type, const Cell& value) {
    const std::string out = json({{"v", type}}, {{value}});
    const std::string prefix = "[\n  {\"v\": ";
    const std::string suffix = "}\n]\n";
    REQUIRE(out.rfind(prefix, 0) == 0);
    REQUIRE(out.size() >= prefix.size() + suffix.size());
    REQUIRE(out.compare(out.size() - suffix.size(), suffix.size(), suffix) == 0);
    return out.substr(prefix.size(), out.size() - prefix.size() - suffix.size());
}

}  // namespace

TEST_CASE("json: an array of objects, keys in column order") {
    const auto out = json({{"zeta", CellType::integer}, {"alpha", CellType::text}},
                          {{"1", "one"}, {"2", "two"}});
    CHECK(out == "[\n"
                 "  {\"zeta\": 1, \"alpha\": \"one\"},\n"
                 "  {\"zeta\": 2, \"alpha\": \"two\"}\n"
                 "]\n");
}

TEST_CASE("json: an empty result is []") {
    CHECK(json({{"id", CellType::integer}}, {}) == "[]\n");
}

TEST_CASE("json: end() is idempotent") {
    std::ostringstream out;
    JsonWriter writer(out);
    writer.begin({{"id", CellType::integer}});
    writer.row({"1"});
    writer.end();
    writer.end();
    CHECK(out.str() == "[\n  {\"id\": 1}\n]\n");
}

TEST_CASE("json: integers and numbers are JSON numbers") {
    CHECK(cell(CellType::integer, "42") == "42");
    CHECK(cell(CellType::integer, "-7") == "-7");
    CHECK(cell(CellType::integer, "9223372036854775807") == "9223372036854775807");
    CHECK(cell(CellType::number, "2.5") == "2.5");
    CHECK(cell(CellType::number, "-0.001") == "-0.001");
    CHECK(cell(CellType::number, "1e+20") == "1e+20");
}

TEST_CASE("json: NaN and Infinity are strings, not numbers") {
    CHECK(cell(CellType::number, "NaN") == "\"NaN\"");
    CHECK(cell(CellType::number, "Infinity") == "\"Infinity\"");
    CHECK(cell(CellType::number, "-Infinity") == "\"-Infinity\"");
    CHECK(cell(CellType::integer, "") == "\"\"");
}

TEST_CASE("json: booleans from PostgreSQL's t and f") {
    CHECK(cell(CellType::boolean, "t") == "true");
    CHECK(cell(CellType::boolean, "f") == "false");
    CHECK(cell(CellType::boolean, "true") == "true");
    CHECK(cell(CellType::boolean, "false") == "false");
}

TEST_CASE("json: NULL is null for every type") {
    for (auto type : {CellType::text, CellType::integer, CellType::number, CellType::boolean, CellType::timestamp,
                      CellType::json}) {
        CAPTURE(static_cast<int>(type));
        CHECK(cell(type, std::nullopt) == "null");
    }
}

TEST_CASE("json: json cells are embedded as JSON") {
    // Embedded as written, so big numbers keep their digits and keys their order.
    CHECK(cell(CellType::json, R"({"a": [1, 2, {"b": null}]})") == R"({"a": [1, 2, {"b": null}]})");
    CHECK(cell(CellType::json, R"({"z": 123456789012345678901234, "a": 1})") == R"({"z": 123456789012345678901234, "a": 1})");
    CHECK(cell(CellType::json, "[]") == "[]");
    CHECK(cell(CellType::json, "\"text\"") == "\"text\"");
    CHECK(cell(CellType::json, "3") == "3");
}

TEST_CASE("json: a json cell that is not valid JSON becomes a string") {
    CHECK(cell(CellType::json, "{not json") == "\"{not json\"");
    CHECK(cell(CellType::json, "") == "\"\"");
}

TEST_CASE("json: text and timestamps are escaped strings") {
    CHECK(cell(CellType::text, "plain") == "\"plain\"");
    CHECK(cell(CellType::text, "a\"b\\c\nd\te") == R"("a\"b\\c\nd\te")");
    CHECK(cell(CellType::text, std::string("\x01", 1)) == R"("\u0001")");
    CHECK(cell(CellType::text, "Zürich ✓") == "\"Zürich ✓\"");
    CHECK(cell(CellType::text, "") == "\"\"");
    CHECK(cell(CellType::timestamp, "2024-01-02 03:04:05+00") == "\"2024-01-02 03:04:05+00\"");
}

TEST_CASE("json: invalid UTF-8 is replaced by U+FFFD") {
    CHECK(cell(CellType::text, "ok\xff") == "\"ok\xEF\xBF\xBD\"");
    CHECK(cell(CellType::text, "\xC3(") == "\"\xEF\xBF\xBD(\"");
    CHECK(json_quote("a\xfe" "b") == "\"a\xEF\xBF\xBD" "b\"");
}

TEST_CASE("json: column names are quoted and escaped") {
    CHECK(json({{"we\"ird", CellType::text}}, {{"x"}}) == "[\n  {\"we\\\"ird\": \"x\"}\n]\n");
}

TEST_CASE("json: with a document, the rows are wrapped in {title, generated_at, parameters, columns, rows, row_count}") {
    Document doc;
    doc.title = "Revenue";
    doc.generated_at = "2026-03-20T09:46:40Z";
    doc.parameters = {{"from", "2026-03-01"}, {"city", "東京, \"Pune\""}};
    std::ostringstream out;
    JsonWriter writer(out, &doc);
    writer.begin({{"period", CellType::text}, {"net", CellType::number}});
    writer.row({std::string("2026-03-01"), std::string("-5.00")});
    writer.row({std::string("2026-03-02"), std::nullopt});
    writer.end();
    auto j = nlohmann::json::parse(out.str());
    CHECK(j["title"] == "Revenue");
    CHECK(j["generated_at"] == "2026-03-20T09:46:40Z");
    CHECK(j["parameters"] == nlohmann::json{{"from", "2026-03-01"}, {"city", "東京, \"Pune\""}});
    CHECK(j["columns"] == nlohmann::json::parse(R"([{"name": "period", "type": "text"}, {"name": "net", "type": "number"}])"));
    CHECK(j["rows"][0]["net"] == -5.0);
    CHECK(j["rows"][1]["net"].is_null());
    CHECK(j["row_count"] == 2);
}

TEST_CASE("json: an envelope without rows is still valid, with row_count 0") {
    Document doc;
    std::ostringstream out;
    JsonWriter writer(out, &doc);
    writer.begin({{"x", CellType::integer}});
    writer.end();
    auto j = nlohmann::json::parse(out.str());
    CHECK(j["rows"].empty());
    CHECK(j["row_count"] == 0);
}
