#include "core/screen.hpp"

#include "core/errors.hpp"
#include "core/module.hpp"

namespace spotctl::screen {

constexpr const char* feature = "the terminal interface";

std::unique_ptr<Screen> open(bool color) {
    auto entry = reinterpret_cast<OpenEntry>(module_symbol(module_file, open_entry, feature));
    char error[256] = "";
    Screen* s = entry(color, error, sizeof error);
    if (!s) throw Error(Exit::usage, std::string("cannot use this terminal: ") + error, "check TERM, or use the plain commands");
    return std::unique_ptr<Screen>(s);
}

int display_width(std::string_view utf8) {
    static const auto entry = reinterpret_cast<WidthEntry>(module_symbol(module_file, width_entry, feature));
    return entry(utf8.data(), utf8.size());
}

}  // namespace spotctl::screen
