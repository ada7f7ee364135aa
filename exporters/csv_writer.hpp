#pragma once
// CSV as PostgreSQL's `COPY ... TO STDOUT (FORMAT csv, HEADER)` writes it, so that an export
// compares with `psql -c "\copy (query) to stdout csv header"` byte for byte: UTF-8, a header
// row, LF line ends (psql's; RFC 4180 says CRLF, which every CSV reader also takes LF for), and
// a field quoted only where RFC 4180 needs it: a comma, a double quote, CR or LF inside. NULL is
// an empty unquoted field and the empty string "" (quoted), so the two stay apart; a lone `\.`
// in a one-column row is quoted too, or COPY FROM would read it as the end of the data.
// Text and JSON cells that a spreadsheet would execute (=, +, -, @, tab, CR first) are
// prefixed with a single quote, as OWASP recommends, unless raw output is asked for; the
// guarded text is then quoted by the same rules. Numbers stay numbers.
#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class CsvWriter : public RowWriter {
public:
    CsvWriter(std::ostream& out, const WriterOptions& options) : out_(out), options_(options) {}
    void begin(const std::vector<Column>& columns) override;
    void row(const std::vector<Cell>& cells) override;
    void end() override;

private:
    void field(std::string_view text, bool first, bool alone);
    void flush_line();

    std::ostream& out_;
    WriterOptions options_;
    std::vector<Column> columns_;
    std::string line_;
    std::string guarded_;  // scratch for a guarded cell, reused so a row allocates nothing
};

// True when a spreadsheet would treat the text as a formula.
bool looks_like_formula(std::string_view text);

// True when PostgreSQL's CSV COPY quotes the field: empty (to tell it from NULL), holding a
// comma, quote, CR or LF, or `\.` as the only field of its row (`alone`).
bool csv_needs_quotes(std::string_view text, bool alone);

}  // namespace spotctl::exporters
