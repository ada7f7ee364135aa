#pragma once
// The lint rule that needs the database: an UPDATE or DELETE, outside a batched migration, of a
// table that PostgreSQL estimates (pg_class.reltuples) to hold more than a threshold of rows. One
// such statement holds every row it changes locked, and the oldest snapshot (vacuum, replicas)
// back, until it ends.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "commands/migrate/lint.hpp"
#include "core/pg.hpp"

namespace spotctl::migrate {

struct DataChange {
    std::size_t line;   // 1-based line of the statement
    std::string verb;   // "UPDATE" or "DELETE"
    std::string table;  // as written, lowercased unless quoted: "users", "app.users"
};

// The UPDATE and DELETE statements of a script and the table each changes. Statements that
// start with WITH are not read (their target may be anywhere in them).
std::vector<DataChange> data_changes(std::string_view script);

// Findings ("unbatched-data-change") for the data changes of a script that is not batched, on
// tables whose estimated row count is above `big_rows`. Tables that do not exist yet are skipped.
std::vector<LintFinding> lint_big_tables(pg::Connection& db, std::string_view script, long long big_rows);

}  // namespace spotctl::migrate
