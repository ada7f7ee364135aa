#pragma once
// One row-stream interface for every output format: a command describes its columns once,
// then streams rows; the writer chosen by -o decides how they look. Writers that can stream
// (CSV, JSON) write each row as it comes, so memory does not grow with the row count.
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::exporters {

enum class CellType { text, integer, number, boolean, timestamp, json };

struct Column {
    std::string name;
    CellType type = CellType::text;
};

using Cell = std::optional<std::string>;  // nullopt: NULL / absent

enum class Format { table, json, csv, pdf };

// "table", "json", "csv", "pdf"; Error(Exit::usage) for anything else.
Format parse_format(std::string_view name);
std::string_view format_name(Format format);

// A chart of the rows: one bar (or a point of a line) per distinct value of `x`, the `y` column
// summed over the rows that share it (a report by period, method and currency charts the
// total per period).
struct Chart {
    std::string x;
    std::string y;
    std::string label;  // the y axis, e.g. "net revenue"
    bool line = false;  // bars unless set
};

// What a report says about itself: the JSON envelope's parameters, the PDF's title page.
struct Document {
    std::string title;
    std::string description;
    std::vector<std::pair<std::string, std::string>> parameters;  // in display order
    std::string generated_at;                                      // ISO 8601, UTC
    long long generated_epoch = 0;                                 // Unix time of generated_at
    std::optional<Chart> chart;
    std::vector<std::string> notes;                                // footnotes under the table
};

struct WriterOptions {
    bool color = false;        // table: bold header
    bool csv_raw = false;      // csv: no formula-injection guard
    bool csv_header = true;
    // json: wrap the rows as {"parameters": {...}, "columns": [...], "rows": [...]};
    // pdf: title, parameters and chart. Not owned.
    const Document* document = nullptr;
    // table: cut long text cells (with "…") so a line fits this many cells; 0 for no limit.
    // Set for a terminal only: a pipe or file gets every character.
    std::size_t max_width = 0;
};

class RowWriter {
public:
    virtual ~RowWriter() = default;
    virtual void begin(const std::vector<Column>& columns) = 0;
    virtual void row(const std::vector<Cell>& cells) = 0;
    // Finishes the output (the table writer prints here). Idempotent.
    virtual void end() = 0;
};

std::unique_ptr<RowWriter> make_writer(Format format, std::ostream& out, const WriterOptions& options = {});

}  // namespace spotctl::exporters
