#include "exporters/document.hpp"

#include <algorithm>
#include <array>
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

// Where a field goes when a record is shown: what it is, then where it stands, then the
// details, then when things happened, then its nested parts in the order the command gave
// them. PostgreSQL's jsonb sorts keys by length, which reads as no order at all.
constexpr std::array identity_keys{"at", "id", "email", "name", "phone", "rule", "subject_type", "subject_id", "type", "title"};
constexpr std::array status_keys{"status", "suspension", "suspended_until", "reported_status", "claimed_by", "claimed_until",
                                 "valid", "success", "consistent", "score"};

std::size_t rank(const std::string& key, const J& value) {
    constexpr std::size_t details = 100, times = 200, nested = 300;
    if (value.is_object() || value.is_array()) return nested;
    if (auto it = std::find(identity_keys.begin(), identity_keys.end(), key); it != identity_keys.end())
        return static_cast<std::size_t>(it - identity_keys.begin());
    if (auto it = std::find(status_keys.begin(), status_keys.end(), key); it != status_keys.end())
        return identity_keys.size() + static_cast<std::size_t>(it - status_keys.begin());
    if (key.ends_with("_at") || key.starts_with("decided_") || key.starts_with("decision_")) return times;
    return details;
}

J in_reading_order(const J& v) {
    if (v.is_array()) {
        J out = J::array();
        for (const auto& e : v) out.push_back(in_reading_order(e));
        return out;
    }
    if (!v.is_object()) return v;
    std::vector<std::pair<std::string, const J*>> fields;
    for (auto it = v.begin(); it != v.end(); ++it) fields.emplace_back(it.key(), &*it);
    std::stable_sort(fields.begin(), fields.end(),
                     [](const auto& a, const auto& b) { return rank(a.first, *a.second) < rank(b.first, *b.second); });
    J out = J::object();
    for (const auto& [k, x] : fields) out[k] = in_reading_order(*x);
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
    // The command orders its sections itself; each record in them is put in reading order.
    auto doc = nlohmann::ordered_json::parse(json);
    for (auto& section : doc) section = in_reading_order(section);
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
