#include "commands/migrate/batch_directive.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <regex>
#include <sstream>

#include "core/errors.hpp"
#include "core/parse_number.hpp"
#include "core/sql_splitter.hpp"

namespace spotctl::migrate {
namespace {

Error bad(const std::string& where, std::size_t line, const std::string& what) {
    return Error(Exit::data, fmt::format("{}:{}: {}", where, line, what),
                 "write it as: -- spotctl:batch table=NAME key=COLUMN [target=200ms] [size=1000] [min=10] [max=100000]");
}

long long positive(const std::string& where, std::size_t line, const std::string& name, const std::string& value) {
    auto n = parse_number<long long>(value);
    if (!n || *n < 1) throw bad(where, line, fmt::format("{}={}: not a positive whole number", name, value));
    return *n;
}

std::string first_word(const std::string& text) {
    std::string w;
    for (char c : text) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        w += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return w;
}

}  // namespace

std::optional<BatchDirective> parse_batch_directive(const std::string& sql, const std::string& where) {
    std::istringstream in(sql);
    std::string text;
    std::size_t line = 0, directive_line = 0;
    std::string directive;
    while (std::getline(in, text)) {
        ++line;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.rfind("--", 0) != 0) break;  // the header is the leading comment lines
        if (text.rfind(batch_marker, 0) == 0) {
            directive = text.substr(batch_marker.size());
            directive_line = line;
            break;
        }
    }
    if (!directive_line) return std::nullopt;

    BatchDirective d;
    static const std::regex table_name("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?"), column_name("[a-z_][a-z0-9_]*");
    std::istringstream words(directive);
    std::string word;
    while (words >> word) {
        auto eq = word.find('=');
        if (eq == std::string::npos) throw bad(where, directive_line, fmt::format("'{}' is not NAME=VALUE", word));
        std::string name = word.substr(0, eq), value = word.substr(eq + 1);
        if (name == "table") {
            if (!std::regex_match(value, table_name)) throw bad(where, directive_line, fmt::format("table={}: not a lowercase table name", value));
            d.table = value;
        } else if (name == "key") {
            if (!std::regex_match(value, column_name)) throw bad(where, directive_line, fmt::format("key={}: not a lowercase column name", value));
            d.key = value;
        } else if (name == "target") {
            try {
                d.target = parse_duration(value, "target");
            } catch (const Error&) {
                throw bad(where, directive_line, fmt::format("target={}: not a duration (use 200ms, 1s)", value));
            }
            if (d.target.count() < 1) throw bad(where, directive_line, "target must be above 0");
        } else if (name == "size") {
            d.size = positive(where, directive_line, name, value);
        } else if (name == "min") {
            d.min_size = positive(where, directive_line, name, value);
        } else if (name == "max") {
            d.max_size = positive(where, directive_line, name, value);
        } else {
            throw bad(where, directive_line, fmt::format("unknown setting '{}'", name));
        }
    }
    if (d.table.empty() || d.key.empty()) throw bad(where, directive_line, "the directive needs table= and key=");
    if (d.min_size > d.max_size) throw bad(where, directive_line, fmt::format("min={} is above max={}", d.min_size, d.max_size));
    d.size = std::clamp(d.size, d.min_size, d.max_size);

    auto statements = sql::split(sql);
    const std::string shape = "a batched migration is one UPDATE or DELETE limited to the key range $1 (inclusive) to $2 (exclusive)";
    if (statements.size() != 1) throw bad(where, directive_line, fmt::format("{}; this file has {} statements", shape, statements.size()));
    const auto& st = statements.front();
    std::string verb = first_word(st.text);
    if ((verb != "UPDATE" && verb != "DELETE" && verb != "WITH") || st.text.find("$1") == std::string::npos ||
        st.text.find("$2") == std::string::npos)
        throw bad(where, st.line, shape);
    d.statement = st.text;
    return d;
}

long long next_batch_size(const BatchDirective& d, long long size, Millis took) {
    double factor = took.count() <= 0 ? 2.0 : static_cast<double>(d.target.count()) / static_cast<double>(took.count());
    factor = std::clamp(factor, 0.5, 2.0);
    return std::clamp(std::llround(static_cast<double>(size) * factor), d.min_size, d.max_size);
}

}  // namespace spotctl::migrate
