#pragma once
// `spotctl doctor`: the platform's invariants (the coin ledger, values derived from
// contributions, references, sessions and cache, the schema and its storage), each checked by one
// set-based query or one Redis scan, and the safe repairs of what they find.
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::doctor {

struct Options {
    std::vector<std::string> only;  // --check: these checks only (empty: all)
    std::vector<std::string> skip;  // --skip
    std::string replica_url;        // read-only checks run here instead of --database-url
    std::string migrations_dir;     // what schema_drift compares with; empty: the default
    int amcheck_indexes = 20;       // how many of the largest B-tree indexes bt_index_check reads
    std::string at;                 // judge time-based invariants as of this time; empty: now
    std::string output_file;        // write the report here atomically (a passive check's file)
};

struct RepairOptions {
    std::string check;
    bool dry_run = false;
    bool yes = false;
    std::string actor_email;  // --as
    long batch_size = 500;
    std::string at;  // as Options::at
};

// Makes `db` judge time-based invariants as of `at` (ISO 8601); nothing for an empty `at`.
// Error(Exit::usage) naming --at when PostgreSQL cannot read the time.
void set_at(pg::Connection& db, const std::string& at);

// Every check, what it looks for and how it is repaired (or what a person must decide).
int list(Context& ctx);
// Runs the checks; 0 when all pass, 1 when any finds a problem.
int run(Context& ctx, const Options& options);
// Repairs what one check finds, in audited batches; 0, or 1 when rows are left for a person.
int repair(Context& ctx, const RepairOptions& options);

}  // namespace spotctl::doctor
