#include "core/terminal.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <sys/ioctl.h>
#include <unistd.h>

namespace spotctl::terminal {

bool stdin_is_tty() { return ::isatty(STDIN_FILENO) == 1; }
bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_tty() { return ::isatty(STDERR_FILENO) == 1; }

bool color_enabled() {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return stdout_is_tty();
}

std::size_t stdout_columns() {
    if (!stdout_is_tty()) return 0;
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    const char* columns = std::getenv("COLUMNS");
    if (!columns) return 0;
    char* end = nullptr;
    unsigned long n = std::strtoul(columns, &end, 10);
    return end != columns && *end == '\0' && n < 100000 ? n : 0;
}

bool ask_yes_no(const std::string& question) {
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

}  // namespace spotctl::terminal
