#pragma once
// CLI11 validators shared by every command, so a bad value fails at parse time with the flag named.
#include <CLI/CLI.hpp>

#include "core/duration.hpp"
#include "core/errors.hpp"

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

}  // namespace spotctl::cli
