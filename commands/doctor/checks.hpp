#pragma once
// The checks doctor knows: each has a name, an area, what it finds, and either its repair or
// what a person must decide. A check returns how many rows (ids, keys, objects) it found and a
// sample of them, so that a finding names exactly what is wrong.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/doctor/doctor.hpp"
#include "core/context.hpp"
#include "core/pg.hpp"

namespace spotctl::doctor {

// How many ids a finding shows.
inline constexpr std::size_t sample_size = 10;

struct Finding {
    std::uint64_t rows = 0;
    std::vector<std::string> sample;  // the first ids, in order
    std::string note;                 // why it was skipped, or what else it saw
    bool skipped = false;             // could not run here (no privilege, no extension): not a failure
};

// What a check runs against: `db` is the replica for read-only checks when --replica-url is
// given, `primary` always the primary (checks that create a scratch database or an extension).
struct Environment {
    Context& ctx;
    pg::Connection& db;
    pg::Connection& primary;
    const Options& options;
};

struct Check {
    std::string name;
    std::string area;         // ledger, rewards, derived, accounts, moderation, references, cache, schema, storage
    std::string finds;        // one sentence: what a failing row is
    std::string repair;       // what --repair does; empty when there is no safe repair ...
    std::string decide;       // ... and then what a person must decide
    bool needs_primary = false;
    std::function<Finding(Environment&)> run;
    std::string sql;  // for a check that is one query: that query (`--list -o json` shows it)
};

// A check that is one query (column `id`), run on the replica when there is one.
Check sql_check(std::string name, std::string area, std::string finds, std::string repair, std::string decide, std::string sql,
                pg::Params params = {});

// In the order doctor runs and lists them.
const std::vector<Check>& all_checks();
// Error(Exit::usage) listing the known names for an unknown one.
const Check& find_check(std::string_view name);

// The checks of each area (checks_*.cpp).
std::vector<Check> ledger_checks();
std::vector<Check> data_checks();
std::vector<Check> cache_checks();
std::vector<Check> schema_checks();

// Runs `found_sql`, a query whose column `id` (text) names each failing row, as one statement
// that counts every row and keeps the first sample_size ids in order.
Finding sql_finding(pg::Connection& db, std::string_view found_sql, const pg::Params& params = {});
// A finding from ids gathered in C++ (Redis scans, catalog comparisons): sorted, sampled.
Finding finding_of(std::vector<std::string> ids, std::string note = {});

}  // namespace spotctl::doctor
