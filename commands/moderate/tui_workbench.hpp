#pragma once
// The state of `moderate tui` and what its keys do, apart from drawing: the queue as last read,
// the filter, the selection, the marks, the claims this terminal holds and the decisions it may
// still undo. Every change goes through the commands' own functions (claim_item, release_item,
// decide_item, undo_item), so the terminal decides exactly as `moderate approve` does.
#include <chrono>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "commands/moderate/moderate.hpp"
#include "commands/moderate/tui_context.hpp"

namespace spotctl::moderate {

struct TuiOptions {
    std::string actor;
    std::string type;  // the first type filter; empty: all
    Millis claim_for = rulebook::claim_lease;
    Millis suspend_for{7LL * 24 * 3600 * 1000};
    Millis refresh{2000};  // the queue is read again this often
};

class Workbench {
public:
    Workbench(Context& ctx, const TuiOptions& options);

    // Reads the queue again (keeping the selection on the same item) and the selected item's detail.
    void refresh();
    // Renews the claims held once a third of their lease has passed; drops the ones lost.
    void renew_claims();

    const std::vector<QueueItem>& visible() const { return visible_; }
    std::size_t selected() const { return selected_; }
    const QueueItem* current() const { return visible_.empty() ? nullptr : &visible_[selected_]; }
    void move(long by);
    void move_to(std::size_t index);

    const std::string& type_filter() const { return type_; }
    const std::string& text_filter() const { return text_; }
    void cycle_type();
    void set_text_filter(std::string text);

    bool marked(const std::string& id) const { return marks_.count(id) != 0; }
    std::size_t mark_count() const { return marks_.size(); }
    void toggle_mark();
    bool holds(const std::string& id) const { return held_.count(id) != 0; }
    const std::string& actor_id() const { return actor_id_; }
    const std::string& actor() const { return options_.actor; }

    // Each returns the status line to show; a refused action throws Error (its message is shown).
    std::string claim_current();
    std::string decide(const std::vector<std::string>& ids, Decision d, const std::string& reason);
    std::string decide_current(Decision d, const std::string& reason);
    std::string decide_marked(Decision d, const std::string& reason);
    std::string undo_last();
    // Releases every claim held (on quit); returns how many.
    std::size_t release_all();

    // The actor's recent reasons for `d`, newest first (offered by the reason prompt).
    std::vector<std::string> recent_reasons(Decision d);

    // The selected item's detail lines (moderate show's document and its context), cached per item.
    const std::vector<std::string>& detail();

private:
    void apply_filter();
    void forget_detail() { detail_id_.clear(); }

    Context& ctx_;
    TuiOptions options_;
    std::string actor_id_;
    std::vector<QueueItem> all_, visible_;
    std::size_t selected_ = 0;
    std::string type_, text_;
    std::set<std::string> marks_, held_;
    std::chrono::steady_clock::time_point renewed_;
    struct Done {
        std::string id;
        Decision decision;
        std::chrono::steady_clock::time_point at;
    };
    std::deque<Done> done_;  // newest last
    std::string detail_id_;
    std::vector<std::string> detail_;
};

// The full-screen workbench; Error(Exit::usage) without a terminal on stdin and stdout.
int tui(Context& ctx, const TuiOptions& options);

// The detail lines for an item: its reason and status, the subject's fields, the owner's and the
// reporter's record, and its history (exposed for the unit tests).
std::vector<std::string> detail_lines(const std::string& document_json, const ItemContext& context);

// "45s", "12m", "3h", "5d": an age in the list's few columns.
std::string short_age(long long seconds);

}  // namespace spotctl::moderate
