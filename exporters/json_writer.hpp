#pragma once
// A JSON array with one object per row, keys in column order, streamed row by row.
// Integers, numbers and booleans are JSON scalars; json cells are embedded as JSON; NULL is null.
// With a Document (reports), the array is wrapped in the documented envelope:
//   {"title": "...", "generated_at": "...", "parameters": {"name": "value", ...},
//    "columns": [{"name": "...", "type": "text|integer|number|boolean|timestamp|json"}, ...],
//    "rows": [{...}, ...], "row_count": N}
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class JsonWriter : public RowWriter {
public:
    explicit JsonWriter(std::ostream& out, const Document* document = nullptr) : out_(out), document_(document) {}
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void end() override;

private:
    std::ostream& out_;
    const Document* document_;
    long long rows_ = 0;
    std::vector<Column> columns_;
    std::vector<std::string> keys_;
    bool first_ = true;
    bool ended_ = false;
};

// A JSON string literal for UTF-8 text (invalid bytes become U+FFFD).
std::string json_quote(std::string_view text);
std::string_view cell_type_name(CellType type);

}  // namespace spotctl::exporters
