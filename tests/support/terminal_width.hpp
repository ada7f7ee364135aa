#pragma once
// Running spotctl on a pseudo-terminal of a given width, for output that fits the terminal.
// Defined in harness.cpp beside run_spotctl_on_terminal, whose child process it shares.
#include "support/harness.hpp"

namespace spotctl::test {

// As run_spotctl_on_terminal with no prompt to answer, on a terminal `columns` cells wide.
RunResult run_spotctl_on_terminal_of_width(const std::vector<std::string>& args, unsigned short columns);

}  // namespace spotctl::test
