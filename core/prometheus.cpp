#include "core/prometheus.hpp"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <fmt/format.h>

#include "core/atomic_file.hpp"

namespace spotctl::prometheus {
namespace {

std::string escape_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
    return fmt::format("{}", v);
}

// name{k="v",...} value, with render()'s escapes; false when the line is not one.
bool parse_sample(std::string_view line, std::string& name, Sample& sample) {
    std::size_t i = line.find_first_of("{ ");
    if (i == std::string_view::npos || i == 0) return false;
    name = std::string(line.substr(0, i));
    if (line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            std::size_t eq = line.find("=\"", i);
            if (eq == std::string_view::npos) return false;
            std::string key(line.substr(i, eq - i)), value;
            for (i = eq + 2; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size()) {
                    ++i;
                    value += line[i] == 'n' ? '\n' : line[i];
                } else {
                    value += line[i];
                }
            }
            if (i >= line.size()) return false;
            sample.labels[key] = value;
            ++i;  // the closing quote
            if (i < line.size() && line[i] == ',') ++i;
        }
        if (i >= line.size()) return false;
        ++i;  // the closing brace
    }
    std::string value(line.substr(i));
    char* end = nullptr;
    sample.value = std::strtod(value.c_str(), &end);
    return end != value.c_str() && *end == '\0';
}

}  // namespace

std::vector<Metric> parse(const std::string& text) {
    std::vector<Metric> out;
    auto family = [&out](const std::string& name) -> Metric& {
        for (auto& m : out)
            if (m.name == name) return m;
        out.push_back({name, "", "gauge", {}});
        return out.back();
    };
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        start = end + 1;
        for (std::string_view tag : {"# HELP ", "# TYPE "}) {
            if (line.rfind(tag, 0) != 0) continue;
            std::string_view rest = line.substr(tag.size());
            std::size_t space = rest.find(' ');
            if (space == std::string_view::npos) break;
            Metric& m = family(std::string(rest.substr(0, space)));
            (tag == "# HELP " ? m.help : m.type) = std::string(rest.substr(space + 1));
        }
        if (line.empty() || line[0] == '#') continue;
        std::string name;
        Sample sample;
        if (parse_sample(line, name, sample)) family(name).samples.push_back(std::move(sample));
    }
    return out;
}

std::string render(const std::vector<Metric>& metrics) {
    std::string out;
    for (const auto& m : metrics) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", m.name, m.help, m.name, m.type);
        for (const auto& s : m.samples) {
            out += m.name;
            if (!s.labels.empty()) {
                out += '{';
                bool first = true;
                for (const auto& [k, v] : s.labels) {
                    out += fmt::format("{}{}=\"{}\"", first ? "" : ",", k, escape_label(v));
                    first = false;
                }
                out += '}';
            }
            out += ' ' + number(s.value) + '\n';
        }
    }
    return out;
}

void write_file(const std::filesystem::path& path, const std::vector<Metric>& metrics) {
    write_file_atomically(path, render(metrics), 0644);
}

}  // namespace spotctl::prometheus
