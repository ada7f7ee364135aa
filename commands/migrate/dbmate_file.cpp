#include "commands/migrate/dbmate_file.hpp"

#include <fmt/format.h>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/sql_splitter.hpp"

namespace spotctl::migrate {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

// dbmate's pattern `^--\s*migrate:KIND(\s*$|\s+\S+)`: the options after it, or nothing when the
// line is not that section's line.
std::optional<std::string_view> section_options(std::string_view line, std::string_view kind) {
    if (!line.starts_with("--")) return std::nullopt;
    auto rest = trim_left(line.substr(2));
    std::string directive = "migrate:" + std::string(kind);
    if (!rest.starts_with(directive)) return std::nullopt;
    rest.remove_prefix(directive.size());
    if (!rest.empty() && !is_space(rest.front())) return std::nullopt;  // -- migrate:upgrade
    return trim_left(rest);
}

// `transaction:false` among whitespace-separated key:value options (dbmate ignores the others).
bool transaction_off(std::string_view options) {
    while (!options.empty()) {
        std::size_t end = 0;
        while (end < options.size() && !is_space(options[end])) ++end;
        if (options.substr(0, end) == "transaction:false") return true;
        options = trim_left(options.substr(end));
    }
    return false;
}

struct Line {
    std::string_view text;  // without its newline and a trailing CR
    std::size_t offset;
    long long number;
};

std::vector<Line> lines_of(const std::string& text) {
    std::vector<Line> out;
    std::size_t start = 0;
    long long number = 1;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back({line, start, number++});
        if (end == text.size()) break;
        start = end + 1;
    }
    return out;
}

bool has_statement(const std::string& sql) {
    try {
        return !sql::split(sql).empty();
    } catch (const Error&) {
        return true;  // unterminated quoting is SQL that `validate` reports, not an empty section
    }
}

}  // namespace

DbmateSections parse_dbmate(const std::filesystem::path& path, const std::string& text) {
    const Line* up = nullptr;
    const Line* down = nullptr;
    const Line* stray = nullptr;
    auto lines = lines_of(text);
    for (const auto& line : lines) {
        if (!up && section_options(line.text, "up")) up = &line;
        else if (!down && section_options(line.text, "down")) down = &line;
        else if (!up && !stray && !trim_left(line.text).empty() && !trim_left(line.text).starts_with("--")) stray = &line;
    }
    const std::string file = path.string();
    if (!up)
        throw Error(Exit::data, fmt::format("{}: no '-- migrate:up' line: not a dbmate migration", file),
                    "a NNNN_name.sql migration holds '-- migrate:up' and '-- migrate:down' sections (dbmate's format)");
    if (!down) throw Error(Exit::data, fmt::format("{}: no '-- migrate:down' line after '-- migrate:up'", file));
    if (down->number < up->number)
        throw Error(Exit::data, fmt::format("{}:{}: '-- migrate:down' comes before '-- migrate:up' (line {})", file,
                                            down->number, up->number));
    if (stray && stray->number < up->number)
        throw Error(Exit::data, fmt::format("{}:{}: SQL before the '-- migrate:up' line", file, stray->number));

    DbmateSections out;
    out.up = Script{path, text.substr(up->offset, down->offset - up->offset),
                    transaction_off(*section_options(up->text, "up")), up->number, std::nullopt};
    Script down_script{path, text.substr(down->offset), transaction_off(*section_options(down->text, "down")), down->number, std::nullopt};
    if (has_statement(down_script.sql)) out.down = std::move(down_script);
    return out;
}

}  // namespace spotctl::migrate
