#include "exporters/document.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace spotctl::exporters {
namespace {

using J = nlohmann::ordered_json;

std::string scalar(const J& v) {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

bool is_flat(const J& v) {
    if (!v.is_object()) return !v.is_array();
    for (const auto& [k, x] : v.items())
        if (x.is_object() || (x.is_array() && !x.empty())) return false;
    return true;
}

// One record on one line: "k=v k=v".
std::string compact(const J& v) {
    if (!v.is_object()) return scalar(v);
    std::string out;
    for (const auto& [k, x] : v.items()) {
        if (!out.empty()) out += "  ";
        out += k + "=" + (x.is_array() || x.is_object() ? x.dump() : scalar(x));
    }
    return out;
}

void print(std::ostream& out, const J& v, int indent) {
    std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    for (const auto& [k, x] : v.items()) {
        if (x.is_object()) {
            out << pad << k << ":\n";
            print(out, x, indent + 1);
        } else if (x.is_array()) {
            out << pad << k << ": " << (x.empty() ? "(none)" : "") << "\n";
            for (const auto& e : x) {
                if (is_flat(e))
                    out << pad << "  - " << compact(e) << "\n";
                else {
                    out << pad << "  -\n";
                    print(out, e, indent + 2);
                }
            }
        } else {
            out << pad << k << ": " << scalar(x) << "\n";
        }
    }
}

}  // namespace

void write_document(std::ostream& out, Format format, std::string_view json, std::string_view what) {
    auto doc = nlohmann::ordered_json::parse(json);
    switch (format) {
        case Format::json: out << doc.dump(2) << "\n"; break;
        case Format::table: print(out, doc, 0); break;
        case Format::csv:
        case Format::pdf:
            throw Error(Exit::usage, fmt::format("{} has no {} output", what, format == Format::csv ? "CSV" : "PDF"),
                        "use -o table or -o json");
    }
}

}  // namespace spotctl::exporters
