#include "exporters/csv_writer.hpp"

#include <csv.h>

namespace spotctl::exporters {

bool looks_like_formula(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
        case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
        default: return false;
    }
}

// Appends one quoted field to line_; the row goes to the stream in one write.
void CsvWriter::field(std::string_view text, bool first) {
    if (!first) line_ += ',';
    // libcsv writes at most 2n+2 bytes for n input bytes (every byte a quote, plus the outer pair).
    std::size_t at = line_.size();
    line_.resize(at + text.size() * 2 + 2);
    std::size_t n = csv_write(line_.data() + at, text.size() * 2 + 2, text.data(), text.size());
    line_.resize(at + n);
}

void CsvWriter::flush_line() {
    line_ += "\r\n";
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    line_.clear();
}

void CsvWriter::begin(const std::vector<Column>& columns) {
    columns_ = columns;
    if (!options_.csv_header) return;
    for (std::size_t i = 0; i < columns.size(); ++i) field(columns[i].name, i == 0);
    flush_line();
}

void CsvWriter::row(const std::vector<Cell>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        bool first = i == 0;
        if (!cells[i]) {  // NULL: an empty, unquoted field, as PostgreSQL's CSV COPY writes it
            if (!first) line_ += ',';
            continue;
        }
        const std::string& text = *cells[i];
        bool guard = !options_.csv_raw && (i >= columns_.size() || columns_[i].type == CellType::text ||
                                           columns_[i].type == CellType::json);
        if (guard && looks_like_formula(text)) field("'" + text, first);
        else field(text, first);
    }
    flush_line();
}

void CsvWriter::end() { out_.flush(); }

}  // namespace spotctl::exporters
