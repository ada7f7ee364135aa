#include "commands/moderate/tui_view.hpp"

#include <fmt/format.h>

#include "rulebook/lifetimes.hpp"

namespace spotctl::moderate {
namespace {

using screen::Style;

constexpr int min_rows = 10, min_cols = 40;

// The undo line's window comes from the rulebook (a {} there), like every other rule.
const char* const help_lines[] = {
    "j / k, arrows   move           PgUp / PgDn, g / G   page, first / last",
    "Enter           claim the item (the claim is renewed while this runs)",
    "a / r / e       approve / reject / escalate (asks for the reason; 1-9 picks a recent one)",
    "space           mark the item       A / R   approve / reject every marked item",
    "u               undo your last decision (within {})",
    "/               filter by text      t       filter by type (all, charger, photo, ...)",
    "?               these keys          q       quit, releasing your claims",
    "",
    "any key closes this help",
};

std::string type_label(const std::string& t) { return t == "profile_change" ? "profile" : t; }

std::string holder(const Workbench& wb, const QueueItem& i) {
    if (i.status == "escalated") return "ESCALATED";
    if (i.status != "claimed") return "";
    if (i.claimed_by_id == wb.actor_id()) return "me";
    return i.claimed_by.substr(0, i.claimed_by.find('@'));
}

void draw_list(screen::Screen& s, Workbench& wb, int top, int height, int width) {
    const auto& items = wb.visible();
    if (items.empty()) {
        s.text(top, 1, wb.text_filter().empty() && wb.type_filter().empty() ? "the queue is empty" : "nothing matches the filter",
               width - 1, Style::dim);
        return;
    }
    // Keeps the selection in view, a page at a time.
    int first = static_cast<int>(wb.selected()) / height * height;
    bool reporter = width >= 70;
    for (int row = 0; row < height && first + row < static_cast<int>(items.size()); ++row) {
        std::size_t index = static_cast<std::size_t>(first + row);
        const QueueItem& i = items[index];
        bool sel = index == wb.selected();
        Style base = sel ? Style::reverse : Style::normal;
        int y = top + row;
        s.text(y, 0, wb.marked(i.id) ? "*" : " ", 1, wb.marked(i.id) ? Style::marked : base, true);
        std::string fixed = fmt::format("{:<8} {:>4} {:<10} ", type_label(i.subject_type), short_age(i.age_seconds), holder(wb, i));
        s.text(y, 1, fixed, 25, i.claimed_by_id == wb.actor_id() && !sel ? Style::ok : base, true);
        int rest = width - 26;
        if (reporter) {
            int rw = std::min(24, rest / 3);
            s.text(y, 26, i.reason, rest - rw - 1, base, true);
            s.text(y, width - rw - 1, i.reporter.empty() ? "system" : i.reporter, rw + 1, sel ? base : Style::dim, true);
        } else {
            s.text(y, 26, i.reason, rest, base, true);
        }
    }
}

void draw_help(screen::Screen& s) {
    int h = static_cast<int>(std::size(help_lines)) + 2;
    int w = std::min(s.cols() - 2, 88);
    int top = std::max(1, (s.rows() - h) / 2), left = std::max(1, (s.cols() - w) / 2);
    s.text(top, left, " keys ", w, Style::heading, true);
    int y = top + 1;
    for (const char* line : help_lines)
        s.text(y++, left, " " + fmt::format(fmt::runtime(line), rulebook::duration_text(rulebook::undo_window)), w, Style::reverse, true);
    s.text(y, left, "", w, Style::reverse, true);
}

std::string prompt_line(const Prompt& p) {
    if (p.kind == Prompt::confirm) return p.title + " (y/n) ";
    std::string offers;
    if (p.kind == Prompt::reason && p.input.empty())
        for (std::size_t i = 0; i < p.offers.size(); ++i) offers += fmt::format("  {} {}", i + 1, p.offers[i]);
    return p.title + ": " + p.input + "_" + offers;
}

}  // namespace

void draw(screen::Screen& s, Workbench& wb, const Prompt& prompt, const Message& message, bool help) {
    s.clear();
    int rows = s.rows(), cols = s.cols();
    if (rows < min_rows || cols < min_cols) {
        s.text(0, 0, fmt::format("needs {}x{}, has {}x{}; q quits", min_cols, min_rows, cols, rows), cols, Style::warn);
        s.show();
        return;
    }
    std::string title = fmt::format(" spotctl moderate tui  {}  {} items  type: {}{}{}", wb.actor(), wb.visible().size(),
                                    wb.type_filter().empty() ? "all" : wb.type_filter(),
                                    wb.text_filter().empty() ? "" : "  filter: " + wb.text_filter(),
                                    wb.mark_count() ? fmt::format("  {} marked", wb.mark_count()) : "");
    s.text(0, 0, title, cols, Style::heading, true);
    s.text(0, cols - 8, "? keys ", 8, Style::heading, true);

    int body = rows - 3, left = std::max(min_cols - 4, cols * 45 / 100);
    draw_list(s, wb, 1, body, left);
    for (int y = 1; y <= body; ++y) s.text(y, left, "\u2502", 1, Style::dim);
    const auto& lines = wb.detail();
    for (int i = 0; i < body && i < static_cast<int>(lines.size()); ++i)
        s.text(1 + i, left + 2, lines[static_cast<std::size_t>(i)], cols - left - 2, i == 0 ? Style::bold : Style::normal);

    s.text(rows - 2, 0, message.text, cols, message.error ? Style::warn : Style::ok, true);
    if (prompt.kind != Prompt::none)
        s.text(rows - 1, 0, prompt_line(prompt), cols, Style::bold, true);
    else
        s.text(rows - 1, 0, "j/k move  Enter claim  a/r/e decide  space mark  A/R marked  u undo  / filter  t type  q quit", cols,
               Style::dim, true);
    if (help) draw_help(s);
    s.show();
}

}  // namespace spotctl::moderate
