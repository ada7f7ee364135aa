#pragma once
// Applying moderation decisions, set-based: one decision or a hundred thousand take the same
// dozen statements. The decisions are copied into a temporary table, their items locked (in id
// order, so two bulk runs cannot deadlock), checked against the items' current state, and then
// each subject type is changed by one UPDATE joined with the table, the rewards of approved
// contributions are credited by one INSERT per subject type into the ledger, the items are marked decided and one audit row per item is
// written, all in the caller's transaction.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "commands/moderate/moderate.hpp"
#include "core/errors.hpp"
#include "core/pg.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::moderate {

std::string_view decision_name(Decision d);  // "approve", "reject", "escalate", "dismiss", ...
std::optional<Decision> parse_decision(std::string_view name);
// The subject types a decision applies to, for messages ("a reported user or charger").
std::string_view decision_subjects(Decision d);

struct DecisionRow {
    std::size_t line = 0;  // in the file; 1 for a single decision
    std::string id;        // a UUID (checked by the caller)
    Decision decision = Decision::approve;
    std::string reason;
    Correction correction;  // with Decision::correct
};

// Why an item cannot take its decision now; `code` is what a single decision exits with
// (75: decided or claimed by someone else meanwhile; 77: only an admin may; 65: no such item;
// 64: the decision does not apply to the item's subject type).
struct Problem {
    std::size_t line = 0;
    std::string id;
    Exit code = Exit::data;
    std::string message;  // "already decided by X at T"
};

struct Outcome {
    std::size_t line = 0;
    std::string id;
    std::string decision;
    std::string status;  // the item's new status
    std::string subject_type;
    std::string subject_id;
    std::string subject_status;  // the subject's status after (empty: the subject no longer exists)
    long long coins = 0;         // the reward credited to the contributor (rulebook/rewards.hpp)
};

// decide() without its output: the one path of a single decision, for `moderate approve|reject|
// escalate` and `moderate tui` alike.
std::vector<Outcome> decide_item(Context& ctx, const DecideOptions& options);

class DecisionBatch {
public:
    // Creates the temporary table (dropped at commit) and copies `rows` into it.
    DecisionBatch(pg::Transaction& tx, const rulebook::Actor& actor, const std::vector<DecisionRow>& rows, Millis suspend_for);

    // Locks the items and returns what stands in the way of each decision, in line order.
    std::vector<Problem> lock_and_check();
    // Leaves these lines out of apply().
    void exclude(const std::vector<std::size_t>& lines);
    // Makes only this line active: for retrying line by line.
    void only(std::size_t line);

    // Applies the decisions of the active lines, in `tx`: the batch's transaction or a savepoint
    // of it (statements must go through the innermost one). Users suspended by it are added to
    // `suspended_users`: their cache keys are for the caller to drop after the commit.
    std::vector<Outcome> apply(pg::Transaction& tx, std::vector<std::string>& suspended_users);
    std::vector<Outcome> apply(std::vector<std::string>& suspended_users) { return apply(tx_, suspended_users); }

private:
    static void snapshot(pg::Transaction& tx, const char* column);

    pg::Transaction& tx_;
    const rulebook::Actor& actor_;
    Millis suspend_for_;
};

}  // namespace spotctl::moderate
