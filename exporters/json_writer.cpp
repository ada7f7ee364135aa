#include "exporters/json_writer.hpp"

#include <nlohmann/json.hpp>

namespace spotctl::exporters {

std::string json_quote(std::string_view text) {
    return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string_view cell_type_name(CellType type) {
    switch (type) {
        case CellType::text: return "text";
        case CellType::integer: return "integer";
        case CellType::number: return "number";
        case CellType::boolean: return "boolean";
        case CellType::timestamp: return "timestamp";
        case CellType::json: return "json";
    }
    return "text";
}

namespace {
std::string render(const Cell& cell, CellType type) {
    if (!cell) return "null";
    const std::string& v = *cell;
    switch (type) {
        case CellType::integer:
        case CellType::number:
            if (!v.empty() && v.find_first_not_of("0123456789+-.eE") == std::string::npos) return v;
            return json_quote(v);  // NaN, Infinity: not JSON numbers
        case CellType::boolean:
            return (v == "t" || v == "true" || v == "1") ? "true" : "false";
        case CellType::json:
            // Embedded as written: re-serialising would round big numbers and reorder keys.
            return nlohmann::json::accept(v) ? v : json_quote(v);
        default:
            return json_quote(v);
    }
}
}  // namespace

void JsonWriter::begin(const std::vector<Column>& columns) {
    columns_ = columns;
    for (const auto& c : columns) keys_.push_back(json_quote(c.name));
    if (document_) {
        out_ << "{\n\"title\": " << json_quote(document_->title) << ",\n\"generated_at\": "
             << json_quote(document_->generated_at) << ",\n\"parameters\": {";
        bool first = true;
        for (const auto& [k, v] : document_->parameters) {
            out_ << (first ? "" : ", ") << json_quote(k) << ": " << json_quote(v);
            first = false;
        }
        out_ << "},\n\"columns\": [";
        for (std::size_t i = 0; i < columns.size(); ++i)
            out_ << (i ? ", " : "") << "{\"name\": " << keys_[i] << ", \"type\": \"" << cell_type_name(columns[i].type) << "\"}";
        out_ << "],\n\"rows\": ";
    }
    out_ << '[';
}

void JsonWriter::row(const std::vector<Cell>& cells) {
    out_ << (first_ ? "\n  {" : ",\n  {");
    first_ = false;
    ++rows_;
    for (std::size_t i = 0; i < cells.size() && i < columns_.size(); ++i) {
        if (i) out_ << ", ";
        out_ << keys_[i] << ": " << render(cells[i], columns_[i].type);
    }
    out_ << '}';
}

void JsonWriter::end() {
    if (ended_) return;
    ended_ = true;
    if (document_) out_ << (first_ ? "],\n" : "\n],\n") << "\"row_count\": " << rows_ << "\n}\n";
    else out_ << (first_ ? "]\n" : "\n]\n");
    out_.flush();
}

}  // namespace spotctl::exporters
