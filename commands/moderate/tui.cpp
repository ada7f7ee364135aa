// moderate tui: the loop. Keys change the workbench; every change is one of the commands' own
// functions. The queue is read again every couple of seconds, so items decided elsewhere leave
// the list; SIGTERM and Ctrl-C quit as `q` does, releasing the claims held (a killed or hung-up
// session's claims lapse with their lease).
#include <fmt/format.h>

#include "commands/cache/stop_signal.hpp"
#include "commands/moderate/moderate.hpp"
#include "commands/moderate/tui_view.hpp"
#include "commands/moderate/tui_workbench.hpp"
#include "core/log.hpp"
#include "core/terminal.hpp"

namespace spotctl::moderate {
namespace {

using Clock = std::chrono::steady_clock;
using screen::Key;

constexpr int tick_ms = 250;  // how often the loop looks at the clock when no key comes

void append_utf8(std::string& s, char32_t c) {
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
}

void pop_utf8(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

const char* verb(Decision d) { return d == Decision::approve ? "approve" : d == Decision::reject ? "reject" : "escalate"; }

class Session {
public:
    Session(Workbench& wb, screen::Screen& s) : wb_(wb), s_(s) {}

    void run() {
        wb_.refresh();
        auto refreshed = Clock::now();
        redraw();
        while (!quit_) {
            if (cache::StopSignal::received()) break;
            Key k = s_.read(tick_ms);
            if (k.kind == Key::none) {
                if (Clock::now() - refreshed < refresh_) continue;
                refreshed = Clock::now();
                guarded([&] {
                    wb_.renew_claims();
                    wb_.refresh();
                });
            } else {
                guarded([&] { handle(k); });
            }
            redraw();
        }
    }

    Millis refresh_{2000};

private:
    void redraw() { draw(s_, wb_, prompt_, message_, help_); }

    template <typename F>
    void guarded(F f) {
        try {
            f();
        } catch (const std::exception& e) {
            message_ = {e.what(), true};
        }
    }

    void say(std::string text) { message_ = {std::move(text), false}; }

    void handle(const Key& k) {
        if (k.kind == Key::resize) return;  // the next draw uses the new size
        if (help_) {
            help_ = false;
            return;
        }
        if (prompt_.kind != Prompt::none) return answer(k);
        if (k.is('q')) quit_ = true;
        else if (k.is('j') || k.kind == Key::down) wb_.move(1);
        else if (k.is('k') || k.kind == Key::up) wb_.move(-1);
        else if (k.kind == Key::page_down) wb_.move(s_.rows() - 3);
        else if (k.kind == Key::page_up) wb_.move(-(s_.rows() - 3));
        else if (k.is('g') || k.kind == Key::home) wb_.move_to(0);
        else if (k.is('G') || k.kind == Key::end) wb_.move_to(wb_.visible().size());
        else if (k.kind == Key::enter) say(wb_.claim_current());
        else if (k.is('a')) ask_reason(Decision::approve, false);
        else if (k.is('r')) ask_reason(Decision::reject, false);
        else if (k.is('e')) ask_reason(Decision::escalate, false);
        else if (k.is('A')) ask_reason(Decision::approve, true);
        else if (k.is('R')) ask_reason(Decision::reject, true);
        else if (k.is(' ')) wb_.toggle_mark();
        else if (k.is('u')) say(wb_.undo_last());
        else if (k.is('t')) wb_.cycle_type();
        else if (k.is('/')) prompt_ = {Prompt::filter, "filter", wb_.text_filter(), {}, Decision::approve, false};
        else if (k.is('?')) help_ = true;
    }

    void ask_reason(Decision d, bool marked) {
        if (marked && wb_.mark_count() == 0) return say("no marked items: space marks the selected one");
        if (!marked && !wb_.current()) return say("the queue is empty");
        std::string title = marked ? fmt::format("{} {} marked items, reason", verb(d), wb_.mark_count())
                                   : fmt::format("{} {}, reason", verb(d), wb_.current()->id.substr(0, 8));
        prompt_ = {Prompt::reason, title, "", wb_.recent_reasons(d), d, marked};
    }

    void answer(const Key& k) {
        Prompt p = prompt_;
        if (k.kind == Key::escape) {
            if (p.kind == Prompt::filter) wb_.set_text_filter("");
            prompt_ = {};
            return;
        }
        if (p.kind == Prompt::confirm) {
            prompt_ = {};
            if (k.is('y') || k.is('Y')) say(wb_.decide_marked(p.decision, p.input));
            else say("nothing was decided");
            return;
        }
        if (k.kind == Key::backspace) return pop_utf8(prompt_.input);
        if (k.kind == Key::text) {
            std::size_t pick = k.ch >= U'1' && k.ch <= U'9' ? static_cast<std::size_t>(k.ch - U'1') : p.offers.size();
            if (p.kind == Prompt::reason && p.input.empty() && pick < p.offers.size()) prompt_.input = p.offers[pick];
            else append_utf8(prompt_.input, k.ch);
            if (p.kind == Prompt::filter) wb_.set_text_filter(prompt_.input);
            return;
        }
        if (k.kind != Key::enter) return;
        if (p.kind == Prompt::filter) {
            prompt_ = {};
            return;
        }
        if (blank(p.input)) return say("a decision needs a reason");
        prompt_ = {};
        if (p.marked)  // the count is shown once more before anything changes
            prompt_ = {Prompt::confirm, fmt::format("{} {} marked items?", verb(p.decision), wb_.mark_count()), p.input, {},
                       p.decision, true};
        else
            say(wb_.decide_current(p.decision, p.input));
    }

    Workbench& wb_;
    screen::Screen& s_;
    Prompt prompt_;
    Message message_;
    bool help_ = false, quit_ = false;
};

}  // namespace

int tui(Context& ctx, const TuiOptions& o) {
    if (!terminal::stdin_is_tty() || !terminal::stdout_is_tty())
        throw Error(Exit::usage, "moderate tui needs a terminal on stdin and stdout",
                    "from a script, use `spotctl moderate queue`, `moderate claim` and `moderate approve|reject|escalate`");
    Workbench wb(ctx, o);  // checks the actor before the screen changes
    std::size_t released = 0;
    {
        cache::StopSignal stop;  // before curses, which then leaves SIGINT and SIGTERM to it
        auto screen = screen::open(terminal::color_enabled());
        Session session(wb, *screen);
        session.refresh_ = o.refresh;
        session.run();
        released = wb.release_all();
    }
    if (!ctx.options().quiet) log::status("released {} claim{}", released, released == 1 ? "" : "s");
    return 0;
}

}  // namespace spotctl::moderate
