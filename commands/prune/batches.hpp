#pragma once
// Running one retention policy: counting what is due (dry run), or changing it batch by batch.
// A batch takes the next `limit` due rows in key order (FOR UPDATE SKIP LOCKED, so rows the
// servers hold are left for the next run instead of waited for), changes them and commits;
// the next batch starts at the last key seen. Nothing is scanned twice, and each transaction
// locks at most `limit` rows for as long as one statement takes.
#include <string>

#include "commands/prune/policies.hpp"
#include "core/duration.hpp"
#include "core/job_lock.hpp"
#include "core/pg.hpp"

namespace spotctl::prune {

struct PolicyResult {
    const Policy* policy = nullptr;
    int days = 0;
    std::string cutoff;     // rows with key before this are due
    long long rows = 0;     // changed (or, in a dry run, due)
    long long batches = 0;  // transactions that changed rows
    Millis duration{0};
    Millis longest{0};      // the longest batch transaction: the longest any row lock was held
};

// `to`: an instant that moves the cut-off earlier (prune --to), never later; "" for none.
PolicyResult count_due(pg::Connection& db, const Policy& policy, int days, const std::string& to);
// Fills `r` as batches commit, so that when a later batch fails (and throws) `r` still says
// what the committed ones changed.
void run_policy(pg::Connection& db, const Policy& policy, int days, const std::string& to, long limit, const JobLock& lock,
                PolicyResult& r);

// One batch: how many rows it changed, the key to start the next one at, and whether it took
// as many rows as it could (then more may be due).
struct Batch {
    long long changed = 0;
    std::string last_key;
    bool full = false;
};
// The anonymisation batch (anonymise.cpp): per account, erases its personal fields, deletes its
// sessions, notifications, profile-change requests and risk profile, unlinks its login
// attempts, and writes its audit row, all in `tx`.
Batch anonymise_batch(pg::Transaction& tx, const Policy& policy, int days, const std::string& last, const std::string& cutoff,
                      long limit);

}  // namespace spotctl::prune
