#pragma once
// The one way spotctl reads a number from text: all of it, or nothing. Callers say what a bad
// one means (a usage, configuration or data error) in their own words.
#include <charconv>
#include <optional>
#include <string_view>

namespace spotctl {

// `text` as a T when the whole of it is one (no sign for unsigned types, no spaces, no trailing
// characters) and it fits; nullopt otherwise. Never throws, unlike std::stoi and std::stod.
template <typename T>
std::optional<T> parse_number(std::string_view text) {
    T value{};
    // cppcheck takes the view of a caller's local string for a pointer that outlives it; the view
    // lives only for this call.
    // cppcheck-suppress invalidLifetime
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace spotctl
