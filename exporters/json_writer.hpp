#pragma once
// A JSON array with one object per row, keys in column order, streamed row by row.
// Integers, numbers and booleans are JSON scalars; json cells are embedded as JSON; NULL is null.
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class JsonWriter : public RowWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) {}
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void end() override;

private:
    std::ostream& out_;
    std::vector<Column> columns_;
    std::vector<std::string> keys_;
    bool first_ = true;
    bool ended_ = false;
};

// A JSON string literal for UTF-8 text (invalid bytes become U+FFFD).
std::string json_quote(std::string_view text);

}  // namespace spotctl::exporters
