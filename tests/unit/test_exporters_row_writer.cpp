#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "core/errors.hpp"
#include "exporters/csv_writer.hpp"
#include "exporters/json_writer.hpp"
#include "exporters/row_writer.hpp"
#include "exporters/table_writer.hpp"

using namespace spotctl::exporters;

TEST_CASE("row writer: parse_format accepts table, json and csv") {
    CHECK(parse_format("table") == Format::table);
    CHECK(parse_format("json") == Format::json);
    CHECK(parse_format("csv") == Format::csv);
}

TEST_CASE("row writer: format_name is the inverse of parse_format") {
    for (auto format : {Format::table, Format::json, Format::csv}) CHECK(parse_format(format_name(format)) == format);
    CHECK(format_name(Format::csv) == "csv");
}

TEST_CASE("row writer: parse_format refuses anything else with a usage error") {
    for (const char* name : {"", "JSON", "yaml", "csv ", "tab"}) {
        CAPTURE(name);
        try {
            parse_format(name);
            FAIL("parse_format accepted '" << name << "'");
        } catch (const spotctl::Error& e) {
            CHECK(e.code() == spotctl::Exit::usage);
            CHECK(std::string(e.what()) == "unknown output format '" + std::string(name) + "'");
            CHECK(e.hint() == "use -o table, -o json, -o csv or -o pdf");
        }
    }
}

TEST_CASE("row writer: make_writer gives the writer for the format") {
    std::ostringstream out;
    CHECK(dynamic_cast<TableWriter*>(make_writer(Format::table, out).get()) != nullptr);
    CHECK(dynamic_cast<JsonWriter*>(make_writer(Format::json, out).get()) != nullptr);
    CHECK(dynamic_cast<CsvWriter*>(make_writer(Format::csv, out).get()) != nullptr);
}

TEST_CASE("row writer: make_writer passes the options on") {
    std::ostringstream out;
    WriterOptions options;
    options.csv_raw = true;
    options.csv_header = false;
    auto writer = make_writer(Format::csv, out, options);
    writer->begin({{"f", CellType::text}});
    writer->row({"=1+1"});
    writer->end();
    CHECK(out.str() == "=1+1\n");
}
