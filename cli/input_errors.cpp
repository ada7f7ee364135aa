#include "cli/input_errors.hpp"

#include <fmt/format.h>
#include <string_view>

#include "cli/command_builder.hpp"
#include "core/pg.hpp"

namespace spotctl::cli {
namespace {

// The quoted value of a server message: `invalid input syntax for type uuid: "19"`,
// `value "1e999" is out of range for type integer`, `date/time field value out of range: "x"`.
std::optional<std::string> quoted_value(const std::string& message) {
    auto open = message.find('"');
    auto close = message.rfind('"');
    if (open == std::string::npos || close <= open) return std::nullopt;
    return message.substr(open + 1, close - open - 1);
}

// What the value should have been, in a person's words, from the server's type name.
std::string expected(const std::string& message) {
    auto has = [&](std::string_view word) { return message.find(word) != std::string::npos; };
    if (has("uuid")) return "is not an id (a UUID or a unique prefix of one)";
    if (has("out of range")) return "is out of range";
    if (has("interval")) return "is not a duration (such as 90s, 15m, 2h, 7d)";
    if (has("timestamp") || has("date") || has("time zone") || has("type time"))
        return "is not a time (such as 2026-12-01 or 2026-12-01T09:00:00Z)";
    if (has("integer") || has("bigint") || has("smallint") || has("numeric") || has("double") || has("real"))
        return "is not a number";
    if (has("inet") || has("cidr")) return "is not an IP address or network";
    if (has("json")) return "is not valid JSON";
    return "is not a valid value here";
}

// The option (or positional) of `leaf` or a parent command whose given value holds `value`.
const CLI::Option* option_holding(const CLI::App& leaf, const std::string& value) {
    for (const CLI::App* app = &leaf; app; app = app->get_parent())
        for (const CLI::Option* opt : app->get_options())
            for (const auto& given : opt->results())
                if (given == value || (!value.empty() && given.find(value) != std::string::npos)) return opt;
    return nullptr;
}

}  // namespace

Error for_a_person(const Error& e, const CLI::App& leaf) {
    const auto* db = dynamic_cast<const pg::DbError*>(&e);
    if (!db || db->sqlstate().rfind("22", 0) != 0) return e;
    std::string message = e.what();
    auto value = quoted_value(message);
    std::string what = expected(message);
    if (value) {
        if (const CLI::Option* opt = option_holding(leaf, *value))
            return Error(Exit::usage, fmt::format("{}: '{}' {}", opt->get_name(), *value, what),
                         fmt::format("see 'spotctl {} --help'", command_path(&leaf)));
        return Error(Exit::data, fmt::format("the value '{}' {}", *value, what));
    }
    return Error(Exit::data, fmt::format("a value {}", what));
}

}  // namespace spotctl::cli
