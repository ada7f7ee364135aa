#pragma once
// What kind of place spotctl writes to: a person's terminal gets colour, prompts and progress;
// a pipe, a file, cron or CI gets none of them.
#include <cstddef>
#include <string>

namespace spotctl::terminal {

bool stdin_is_tty();
bool stdout_is_tty();
bool stderr_is_tty();
// Colour on stdout: a terminal, NO_COLOR unset, TERM not "dumb".
bool color_enabled();
// The width of the terminal stdout writes to, in cells: the terminal's own size, else $COLUMNS;
// 0 when stdout is not a terminal (a pipe or file gets every character) or the width is unknown.
std::size_t stdout_columns();

// Asks a yes/no question on the terminal. Returns false on anything but y/yes.
bool ask_yes_no(const std::string& question);

}  // namespace spotctl::terminal
