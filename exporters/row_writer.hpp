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

enum class Format { table, json, csv };

// "table", "json", "csv"; Error(Exit::usage) for anything else.
Format parse_format(std::string_view name);
std::string_view format_name(Format format);

struct WriterOptions {
    bool color = false;        // table: bold header
    bool csv_raw = false;      // csv: no formula-injection guard
    bool csv_header = true;
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
