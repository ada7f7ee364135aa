#pragma once
// CLI11 validators shared by every command, so a bad value fails at parse time with the flag named.
#include <CLI/CLI.hpp>

#include "core/duration.hpp"
#include "core/errors.hpp"
#include "core/id_prefix.hpp"

namespace spotctl::cli {

inline const CLI::Validator& duration_value() {
    static const CLI::Validator v(
        [](std::string& text) -> std::string {
            try {
                parse_duration(text, "");
            } catch (const Error&) {
                return "'" + text + "' is not a duration (use 500ms, 30s, 15m, 2h, 7d)";
            }
            return {};
        },
        "DURATION");
    return v;
}

// A UUID or a prefix of one (core/id_prefix.hpp); which row it names is decided with the database.
inline const CLI::Validator& id_value() {
    static const CLI::Validator v(
        [](std::string& text) -> std::string {
            if (looks_like_id_or_prefix(text)) return {};
            return "'" + text + "' is not an id: give the full id or at least " + std::to_string(min_id_prefix) +
                   " of its first hex digits";
        },
        "ID");
    return v;
}

}  // namespace spotctl::cli
