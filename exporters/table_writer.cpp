#include "exporters/table_writer.hpp"

#include <algorithm>

namespace spotctl::exporters {

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++width;  // count lead bytes only
    return width;
}

namespace {
bool right_aligned(CellType t) { return t == CellType::integer || t == CellType::number; }

// A cell on one line: newlines and tabs would break the columns.
std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return out;
}
// Only free text gives way: numbers, times and flags cut short would read as other values.
bool may_shrink(CellType t) { return t == CellType::text || t == CellType::json; }

// Narrows the widest text column, a cell at a time, until a line fits `max_width` (or every
// text column is down to a few cells: then the line stays too long rather than unreadable).
void fit(std::vector<std::size_t>& widths, const std::vector<Column>& columns, std::size_t max_width) {
    constexpr std::size_t narrowest = 6;
    std::size_t total = 2 * (widths.size() - 1);
    for (auto w : widths) total += w;
    std::vector<std::size_t> floor(widths.size());
    for (std::size_t i = 0; i < widths.size(); ++i) floor[i] = may_shrink(columns[i].type) ? std::min(widths[i], narrowest) : widths[i];
    while (total > max_width) {
        std::size_t widest = widths.size();
        for (std::size_t i = 0; i < widths.size(); ++i)
            if (widths[i] > floor[i] && (widest == widths.size() || widths[i] > widths[widest])) widest = i;
        if (widest == widths.size()) return;
        --widths[widest];
        --total;
    }
}

// `text` in at most `width` cells: the first width-1 code points and "…" when it is longer.
std::string cut(const std::string& text, std::size_t width) {
    if (display_width(text) <= width) return text;
    std::size_t kept = 0, end = 0;
    for (; end < text.size(); ++end)
        if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && kept++ == width - 1) break;
    return text.substr(0, end) + "…";
}
}  // namespace

void TableWriter::begin(const std::vector<Column>& columns) { columns_ = columns; }

void TableWriter::row(const std::vector<Cell>& cells) {
    std::vector<std::string> line;
    line.reserve(cells.size());
    for (const auto& c : cells) line.push_back(c ? one_line(*c) : "");
    rows_.push_back(std::move(line));
}

void TableWriter::end() {
    if (ended_) return;
    ended_ = true;
    std::vector<std::size_t> widths(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) widths[i] = display_width(columns_[i].name);
    for (const auto& r : rows_)
        for (std::size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], display_width(r[i]));
    if (options_.max_width > 0 && !widths.empty()) fit(widths, columns_, options_.max_width);

    auto emit = [&](const std::vector<std::string>& cells, bool header) {
        std::string line;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            const std::string text = cut(i < cells.size() ? cells[i] : std::string(), widths[i]);
            std::size_t pad = widths[i] - std::min(widths[i], display_width(text));
            bool last = i + 1 == columns_.size();
            if (i) line += "  ";
            if (!header && right_aligned(columns_[i].type)) line += std::string(pad, ' ') + text;
            else line += last ? text : text + std::string(pad, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (header && options_.color) out_ << "\033[1m" << line << "\033[0m\n";
        else out_ << line << '\n';
    };
    std::vector<std::string> header;
    for (const auto& c : columns_) header.push_back(c.name);
    emit(header, true);
    for (const auto& r : rows_) emit(r, false);
    rows_.clear();
}

}  // namespace spotctl::exporters
