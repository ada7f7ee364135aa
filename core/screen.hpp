#pragma once
// A full-screen terminal for interactive commands (`moderate tui`). The curses library is linked
// only into the module spotctl-tui.so (core/screen_ncurses.cpp), opened on first use
// (core/module.hpp), so no other command loads it. Text is UTF-8; the module draws it with the
// wide-character API and cuts it by display columns (a Devanagari or Tamil cluster, a CJK
// character), never inside a character.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace spotctl::screen {

// What a cell looks like. Without colour (NO_COLOR, TERM=dumb) only bold and reverse remain.
enum class Style { normal, bold, reverse, dim, heading, warn, ok, marked };

struct Key {
    enum Kind { none, text, up, down, page_up, page_down, home, end, enter, backspace, escape, tab, resize };
    Kind kind = none;
    char32_t ch = 0;  // kind == text: the character typed
    bool is(char32_t c) const { return kind == text && ch == c; }
};

class Screen {
public:
    virtual ~Screen() = default;
    virtual int rows() const = 0;
    virtual int cols() const = 0;
    // Clears the frame being drawn; show() puts it on the terminal at once (no flicker).
    virtual void clear() = 0;
    // Draws `utf8` at row y, column x, cut to at most `width` display columns (an ellipsis marks
    // a cut); the rest of `width` is filled with blanks in `style` when `fill`.
    virtual void text(int y, int x, std::string_view utf8, int width, Style style, bool fill = false) = 0;
    virtual void show() = 0;
    // The next key, or Key::none after `timeout_ms`. A terminal resize arrives as Key::resize.
    virtual Key read(int timeout_ms) = 0;
};

// Opens the screen on the process's terminal (stdin/stdout); the destructor restores the
// terminal. Error(Exit::unavailable) when the module cannot be loaded; Error(Exit::usage) when
// the terminal cannot be used (unknown TERM).
std::unique_ptr<Screen> open(bool color);
// Display columns of `utf8` as text() counts them.
int display_width(std::string_view utf8);

// The module's entry points. open: nullptr and `error` filled when the terminal is unusable.
// The binary and the module each have their own C++ runtime (core/module_abi.h), so nothing of
// it crosses: the entry points take C types, and Screen's methods take and return only plain
// values (string_view, Key) and throw nothing.
using OpenEntry = Screen* (*)(bool color, char* error, std::size_t error_size);
using WidthEntry = int (*)(const char* utf8, std::size_t size);
inline constexpr const char* module_file = "spotctl-tui.so";
inline constexpr const char* open_entry = "spotctl_screen_open";
inline constexpr const char* width_entry = "spotctl_screen_width";

}  // namespace spotctl::screen
