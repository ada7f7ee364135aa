#pragma once
// Messages on stderr are one line each, whatever a user typed into the values they quote: a
// line break, carriage return or escape sequence in an id or a reason would otherwise forge
// extra lines in a cron mail or a log collector (log injection) or drive the terminal.
#include <cstddef>
#include <string>
#include <string_view>

namespace spotctl {

// `text` with control characters shown as \n, \r, \t or \xNN, and cut (at a UTF-8 character
// boundary) to about `max_bytes`, saying how much was left out.
std::string single_line(std::string_view text, std::size_t max_bytes = 2000);

}  // namespace spotctl
