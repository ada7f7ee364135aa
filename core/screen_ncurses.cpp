// The module spotctl-tui.so: core/screen.hpp on ncursesw. Only this file includes curses.
#include <cstdio>
#include <clocale>
#include <cstdlib>
#include <curses.h>
#include <cwchar>
#include <langinfo.h>
#include <string>

#include "core/module.hpp"
#include "core/screen.hpp"

SPOTCTL_MODULE_VERSION

namespace spotctl::screen {
namespace {

// wcwidth needs a UTF-8 character type: the user's locale if it is one, else C.UTF-8 (the
// platform's text is UTF-8 whatever LANG says).
void use_utf8_locale() {
    static const bool done = [] {
        std::setlocale(LC_CTYPE, "");
        std::string codeset = nl_langinfo(CODESET);
        if (codeset != "UTF-8") std::setlocale(LC_CTYPE, "C.UTF-8");
        return true;
    }();
    (void)done;
}

// `utf8` as wide characters, each with its display width; an invalid byte or a control
// character becomes U+FFFD, one column wide.
struct Glyph {
    wchar_t ch;
    int width;
};
std::basic_string<Glyph> glyphs(std::string_view utf8) {
    std::basic_string<Glyph> out;
    std::mbstate_t state{};
    std::size_t i = 0;
    while (i < utf8.size()) {
        wchar_t wc = 0;
        std::size_t n = std::mbrtowc(&wc, utf8.data() + i, utf8.size() - i, &state);
        if (n == static_cast<std::size_t>(-1) || n == static_cast<std::size_t>(-2) || n == 0) {
            state = {};
            out.push_back({L'\uFFFD', 1});
            ++i;
            continue;
        }
        i += n;
        int w = ::wcwidth(wc);
        if (w < 0) out.push_back({L'\uFFFD', 1});
        else if (w == 0 && out.empty()) continue;  // a combining mark with nothing to combine with
        else out.push_back({wc, w});
    }
    return out;
}

int width_of(const std::basic_string<Glyph>& g) {
    int w = 0;
    for (const auto& c : g) w += c.width;
    return w;
}

class CursesScreen final : public Screen {
public:
    CursesScreen(SCREEN* s, bool color) : screen_(s), color_(color) {}
    ~CursesScreen() override {
        endwin();
        delscreen(screen_);
    }

    int rows() const override { return LINES; }
    int cols() const override { return COLS; }
    void clear() override { erase(); }
    void show() override { refresh(); }

    void text(int y, int x, std::string_view utf8, int width, Style style, bool fill) override {
        if (y < 0 || y >= LINES || x < 0 || x >= COLS || width <= 0) return;
        if (x + width > COLS) width = COLS - x;
        auto g = glyphs(utf8);
        std::wstring out;
        int used = 0;
        bool cut = width_of(g) > width;
        int room = cut ? width - 1 : width;  // a cut ends in an ellipsis
        for (const auto& c : g) {
            if (used + c.width > room) break;
            out.push_back(c.ch);
            used += c.width;
        }
        if (cut) {
            out.push_back(L'\u2026');
            ++used;
        }
        if (fill && used < width) out.append(static_cast<std::size_t>(width - used), L' ');
        attr_t a = attributes(style);
        attron(a);
        mvaddwstr(y, x, out.c_str());
        attroff(a);
    }

    Key read(int timeout_ms) override {
        timeout(timeout_ms);
        wint_t ch = 0;
        int r = get_wch(&ch);
        Key k;
        if (r == ERR) return k;
        if (r == KEY_CODE_YES) {
            switch (ch) {
                case KEY_UP: k.kind = Key::up; break;
                case KEY_DOWN: k.kind = Key::down; break;
                case KEY_PPAGE: k.kind = Key::page_up; break;
                case KEY_NPAGE: k.kind = Key::page_down; break;
                case KEY_HOME: k.kind = Key::home; break;
                case KEY_END: k.kind = Key::end; break;
                case KEY_ENTER: k.kind = Key::enter; break;
                case KEY_BACKSPACE: k.kind = Key::backspace; break;
                case KEY_RESIZE: k.kind = Key::resize; break;
                default: break;
            }
            return k;
        }
        switch (ch) {
            case L'\n': case L'\r': k.kind = Key::enter; break;
            case 27: k.kind = Key::escape; break;
            case 127: case 8: k.kind = Key::backspace; break;
            case L'\t': k.kind = Key::tab; break;
            default:
                if (ch >= 32) {
                    k.kind = Key::text;
                    k.ch = static_cast<char32_t>(ch);
                }
        }
        return k;
    }

private:
    // Colour pairs 1..4: heading, warn, ok, marked.
    attr_t attributes(Style s) const {
        switch (s) {
            case Style::normal: return A_NORMAL;
            case Style::bold: return A_BOLD;
            case Style::reverse: return A_REVERSE;
            case Style::dim: return color_ ? A_DIM : A_NORMAL;
            case Style::heading: return A_BOLD | (color_ ? COLOR_PAIR(1) : A_NORMAL);
            case Style::warn: return color_ ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
            case Style::ok: return color_ ? COLOR_PAIR(3) : A_NORMAL;
            case Style::marked: return color_ ? COLOR_PAIR(4) | A_BOLD : A_BOLD;
        }
        return A_NORMAL;
    }

    SCREEN* screen_;
    bool color_;
};

}  // namespace
}  // namespace spotctl::screen

extern "C" spotctl::screen::Screen* spotctl_screen_open(bool color, char* error, std::size_t error_size) {
    using namespace spotctl::screen;
    use_utf8_locale();
    // newterm, not initscr: an unknown TERM is an error to report, not an exit inside curses.
    SCREEN* s = newterm(nullptr, stdout, stdin);
    if (!s) {
        const char* term = std::getenv("TERM");
        std::snprintf(error, error_size, "curses cannot drive TERM=%s", term ? term : "(unset)");
        return nullptr;
    }
    set_term(s);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    bool use_color = color && has_colors();
    if (use_color) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_CYAN, -1);
        init_pair(2, COLOR_RED, -1);
        init_pair(3, COLOR_GREEN, -1);
        init_pair(4, COLOR_YELLOW, -1);
    }
    return new CursesScreen(s, use_color);
}

extern "C" int spotctl_screen_width(const char* utf8, std::size_t size) {
    using namespace spotctl::screen;
    use_utf8_locale();
    return width_of(glyphs(std::string_view(utf8, size)));
}
