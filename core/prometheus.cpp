#include "core/prometheus.hpp"

#include <cmath>
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

}  // namespace

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
