#pragma once
// --month and --week: shortcuts for a --from/--to range of whole days, the same in every command
// that takes a range (report, fraud scan and backtest, audit). See spotctl(1), TIMES AND DURATIONS.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <string>

#include "core/errors.hpp"
#include "core/time_spec.hpp"

namespace spotctl::cli {

// `from` and `to` receive the first and last day (inclusive dates); the shortcuts exclude `range`'s options.
inline void range_shortcuts(CLI::App& app, std::string& from, std::string& to, std::vector<CLI::Option*> range) {
    auto set = [&from, &to](const time_spec::DateRange& r) {
        from = r.first.value;
        to = r.last.value;
    };
    auto month = app.add_option_function<std::string>(
                        "--month", [set](const std::string& v) { set(time_spec::parse_month(v, "--month")); },
                        "The calendar month YYYY-MM: --from its first day --to its last")
                     ->type_name("YYYY-MM");
    auto week = app.add_option_function<std::string>(
                       "--week", [set](const std::string& v) { set(time_spec::parse_week(v, "--week")); },
                       "The ISO week YYYY-Www, Monday to Sunday: --from its Monday --to its Sunday")
                    ->type_name("YYYY-Www")
                    ->excludes(month);
    for (auto* o : range) {
        month->excludes(o);
        week->excludes(o);
    }
}

// `--claim-for 2 hours` unquoted leaves "hours" as the next positional argument: say so, rather
// than whatever that argument's own check would say about it.
inline void refuse_split_duration(const std::string& positional, const std::string& flag, const std::string& value) {
    if (positional.empty() || positional.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) return;
    try {
        parse_duration("1 " + positional, flag);
    } catch (const Error&) {
        return;  // not a unit word
    }
    throw Error(Exit::usage, fmt::format("'{}' after {} {} is read as an argument, not as part of the duration", positional, flag, value),
                fmt::format("quote it ({} '{} {}') or write it without a space ({}{})", flag, value, positional, value, positional));
}

}  // namespace spotctl::cli
