#include "core/duration.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/parse_number.hpp"

namespace spotctl {

namespace {

// Unit words as people write them: "2h", "2 hours", "90 min", "1 week".
double unit_factor(std::string_view unit) {
    struct Unit {
        std::string_view names[5];
        double ms;
    };
    static constexpr Unit units[] = {
        {{"ms", "msec", "millisecond", "milliseconds", ""}, 1},
        {{"s", "sec", "secs", "second", "seconds"}, 1000},
        {{"m", "min", "mins", "minute", "minutes"}, 60'000},
        {{"h", "hr", "hrs", "hour", "hours"}, 3'600'000},
        {{"d", "day", "days", "", ""}, 86'400'000},
        {{"w", "week", "weeks", "", ""}, 604'800'000},
    };
    for (const auto& u : units)
        for (auto name : u.names)
            if (!name.empty() && name == unit) return u.ms;
    return 0;
}

bool is_space(char c) { return c == ' '; }

}  // namespace

Millis parse_duration(std::string_view text, std::string_view what) {
    auto bad = [&] {
        return Error(Exit::usage, fmt::format("invalid duration '{}' for {}", text, what),
                     "use a number with a unit, such as 500ms, 30s, 15m, 2h, 7d or 2w ('2 hours' and '1h 30m' work too)");
    };
    if (text.empty() || is_space(text.front()) || is_space(text.back())) throw bad();
    double total_ms = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;  // between parts: "1h 30m"
        std::size_t start = i;
        while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
        if (start == i) throw bad();
        // One optional decimal point with digits around it: "1.5" yes, "1.2.3", "5." and ".5" no.
        std::string_view digits = text.substr(start, i - start);
        auto point = digits.find('.');
        if (point != std::string_view::npos &&
            (point == 0 || point + 1 == digits.size() || digits.find('.', point + 1) != std::string_view::npos))
            throw bad();
        // Not std::stod: a number too large for a double is a bad duration, not an out_of_range
        // escaping as an internal error (found by fuzzing).
        auto parsed = parse_number<double>(digits);
        if (!parsed) throw bad();
        double number = *parsed;
        std::size_t after_number = i;
        while (i < text.size() && is_space(text[i])) ++i;  // "2 hours"
        std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        std::string_view unit = text.substr(unit_start, i - unit_start);
        double factor = 1000;  // a bare number is seconds
        if (!unit.empty()) {
            factor = unit_factor(unit);
            if (factor == 0) throw bad();
        } else if (after_number != text.size()) {
            throw bad();  // "5 " or "5 6": a bare number ends the text
        }
        total_ms += number * factor;
    }
    if (total_ms > 1e15) throw bad();
    return Millis(std::llround(total_ms));
}

std::string format_duration(Millis d) {
    auto ms = d.count();
    if (ms < 1000) return fmt::format("{}ms", ms);
    if (ms < 60'000) return fmt::format("{:.3f}s", ms / 1000.0);
    auto s = ms / 1000;
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m{:02}s", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace spotctl
