#pragma once
// RFC 4180 CSV through libcsv's writer: UTF-8, a header row, CRLF line ends, every field
// quoted. Text cells that a spreadsheet would execute (=, +, -, @, tab, CR first) are prefixed
// with a single quote, as OWASP recommends, unless raw output is asked for. Numbers stay numbers.
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class CsvWriter : public RowWriter {
public:
    CsvWriter(std::ostream& out, const WriterOptions& options) : out_(out), options_(options) {}
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void end() override;

private:
    void field(std::string_view text, bool first);
    void flush_line();

    std::ostream& out_;
    WriterOptions options_;
    std::vector<Column> columns_;
    std::string line_;
};

// True when a spreadsheet would treat the text as a formula.
bool looks_like_formula(std::string_view text);

}  // namespace spotctl::exporters
