#pragma once
// Drawing `moderate tui`: the queue on the left, the selected item in context on the right, a
// status line and the key line (or the prompt being answered) at the bottom.
#include <string>
#include <vector>

#include "commands/moderate/tui_workbench.hpp"
#include "core/screen.hpp"

namespace spotctl::moderate {

// A question on the bottom line: a reason (with recent ones to pick by number), a filter text,
// or yes/no.
struct Prompt {
    enum Kind { none, reason, filter, confirm };
    Kind kind = none;
    std::string title;
    std::string input;  // UTF-8
    std::vector<std::string> offers;
    Decision decision = Decision::approve;
    bool marked = false;  // the decision is for the marked items
};

struct Message {
    std::string text;
    bool error = false;
};

void draw(screen::Screen& s, Workbench& wb, const Prompt& prompt, const Message& message, bool help);

}  // namespace spotctl::moderate
