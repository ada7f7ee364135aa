#pragma once
// The retention policies of `spotctl prune`: what each one removes (or expires, or
// anonymises), from which table, and after how many days by default. Each walks its table in
// order of one timestamp column, in batches, so no transaction holds locks for long.
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::prune {

enum class Action {
    remove,     // DELETE the rows
    expire,     // UPDATE status to 'expired' (reservations: payments point at them)
    anonymise,  // erase personal fields, keep the row (users are never deleted)
};

struct Policy {
    std::string_view name;       // "login_attempts": the CLI name, and prune.login_attempts_days in the file
    std::string_view table;
    Action action;
    int default_days;
    std::string_view key;        // the timestamp column: rows with key < now() - days are due
    std::string_view condition;  // what else a due row satisfies (SQL, may be empty)
    std::string_view summary;    // "login attempts older than {} days"
};

// In the order they run.
const std::vector<Policy>& policies();
// Error(Exit::usage) naming the known policies for an unknown name.
const Policy& find_policy(std::string_view name);
std::string_view action_name(Action action, bool dry_run);

}  // namespace spotctl::prune
