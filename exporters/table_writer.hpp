#pragma once
// Aligned columns for people. Buffers its rows to size the columns, so it is for listings,
// not for exports (those use CSV or JSON, which stream).
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class TableWriter : public RowWriter {
public:
    TableWriter(std::ostream& out, const WriterOptions& options) : out_(out), options_(options) {}
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void end() override;

private:
    std::ostream& out_;
    WriterOptions options_;
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
    bool ended_ = false;
};

// Display width of UTF-8 text in terminal cells (one per code point; good enough for tables).
std::size_t display_width(std::string_view text);

}  // namespace spotctl::exporters
