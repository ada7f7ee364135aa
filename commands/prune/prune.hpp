#pragma once
// `spotctl prune`: the retention jobs, safe to run from cron. One run at a time per database
// (the "prune" lock; a second run exits 75 at once); every change happens in batches of a few
// thousand rows, one short transaction each.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::prune {

struct Options {
    std::vector<std::string> policies;               // empty: every policy
    std::map<std::string, int, std::less<>> days;   // per policy, instead of its default
    long batch_size = 5000;                          // rows per transaction
    bool dry_run = false;                            // count only
    std::string to;                                  // --to: a cut-off earlier than the retention's
};

int run(Context& ctx, const Options& options);

}  // namespace spotctl::prune
