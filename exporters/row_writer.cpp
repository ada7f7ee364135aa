#include "exporters/row_writer.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "exporters/csv_writer.hpp"
#include "exporters/json_writer.hpp"
#include "exporters/pdf_module.hpp"
#include "exporters/table_writer.hpp"

namespace spotctl::exporters {

Format parse_format(std::string_view name) {
    if (name == "table") return Format::table;
    if (name == "json") return Format::json;
    if (name == "csv") return Format::csv;
    if (name == "pdf") return Format::pdf;
    throw Error(Exit::usage, fmt::format("unknown output format '{}'", name), "use -o table, -o json, -o csv or -o pdf");
}

std::string_view format_name(Format format) {
    switch (format) {
        case Format::table: return "table";
        case Format::json: return "json";
        case Format::csv: return "csv";
        case Format::pdf: return "pdf";
    }
    return "table";
}

std::unique_ptr<RowWriter> make_writer(Format format, std::ostream& out, const WriterOptions& options) {
    switch (format) {
        case Format::json: return std::make_unique<JsonWriter>(out, options.document);
        case Format::csv: return std::make_unique<CsvWriter>(out, options);
        case Format::pdf: return make_pdf_module_writer(out, options);
        case Format::table: break;
    }
    return std::make_unique<TableWriter>(out, options);
}

}  // namespace spotctl::exporters
