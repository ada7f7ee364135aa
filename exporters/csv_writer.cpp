#include "exporters/csv_writer.hpp"

namespace spotctl::exporters {

bool looks_like_formula(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
        case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
        default: return false;
    }
}

bool csv_needs_quotes(std::string_view text, bool alone) {
    if (text.empty()) return true;
    if (alone && text == "\\.") return true;
    for (char c : text)
        if (c == ',' || c == '"' || c == '\n' || c == '\r') return true;
    return false;
}

// Appends one field to line_; the row goes to the stream in one write.
void CsvWriter::field(std::string_view text, bool first, bool alone) {
    if (!first) line_ += ',';
    if (!csv_needs_quotes(text, alone)) {
        line_ += text;
        return;
    }
    line_ += '"';
    for (std::size_t at = 0;;) {
        std::size_t quote = text.find('"', at);
        if (quote == std::string_view::npos) {
            line_ += text.substr(at);
            break;
        }
        line_ += text.substr(at, quote + 1 - at);
        line_ += '"';
        at = quote + 1;
    }
    line_ += '"';
}

void CsvWriter::flush_line() {
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    line_.clear();
}

void CsvWriter::begin(const std::vector<Column>& columns) {
    columns_ = columns;
    if (!options_.csv_header) return;
    for (std::size_t i = 0; i < columns.size(); ++i) field(columns[i].name, i == 0, columns.size() == 1);
    flush_line();
}

void CsvWriter::row(const std::vector<Cell>& cells) {
    const bool alone = cells.size() == 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        bool first = i == 0;
        if (!cells[i]) {  // NULL: an empty, unquoted field, as PostgreSQL's CSV COPY writes it
            if (!first) line_ += ',';
            continue;
        }
        const std::string& text = *cells[i];
        bool guard = !options_.csv_raw && (i >= columns_.size() || columns_[i].type == CellType::text ||
                                           columns_[i].type == CellType::json);
        if (guard && looks_like_formula(text)) {
            guarded_.assign(1, '\'');
            guarded_ += text;
            field(guarded_, first, alone);
        } else {
            field(text, first, alone);
        }
    }
    flush_line();
}

void CsvWriter::end() { out_.flush(); }

}  // namespace spotctl::exporters
