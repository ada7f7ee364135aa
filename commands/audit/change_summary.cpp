#include "commands/audit/change_summary.hpp"

#include <nlohmann/json.hpp>

namespace spotctl::auditlog {
namespace {

using J = nlohmann::ordered_json;

std::string text_of(const J& v) {
    if (v.is_null()) return "-";
    return v.is_string() ? v.get<std::string>() : v.dump();
}

J parsed(const std::optional<std::string>& text) { return text ? J::parse(*text) : J(); }

}  // namespace

std::string change_summary(const std::optional<std::string>& before_text, const std::optional<std::string>& after_text) {
    J before = parsed(before_text), after = parsed(after_text);
    if (!before.is_object() && !after.is_object()) return before == after ? "" : text_of(before) + " → " + text_of(after);
    if (!before.is_object()) before = J::object();
    if (!after.is_object()) after = J::object();
    // The before image's order, then what only the after image has.
    J keys = J::array();
    for (const auto& [k, v] : before.items()) keys.push_back(k);
    for (const auto& [k, v] : after.items())
        if (!before.contains(k)) keys.push_back(k);
    std::string out;
    for (const auto& key : keys) {
        const std::string k = key.get<std::string>();
        J was = before.value(k, J()), now = after.value(k, J());
        if (was == now) continue;
        if (!out.empty()) out += ", ";
        out += k + ": " + text_of(was) + " → " + text_of(now);
    }
    return out;
}

}  // namespace spotctl::auditlog
