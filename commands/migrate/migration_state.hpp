#pragma once
// What the database says has been applied: spotctl's own table, spotctl_schema_migrations.
#include <optional>
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::migrate {

inline constexpr const char* state_table = "spotctl_schema_migrations";

struct AppliedMigration {
    long long version = 0;
    std::string name;
    std::string checksum;
    std::string applied_at;
    std::string applied_by;
    long long execution_ms = 0;
    std::string spotctl_version;
    bool dirty = false;
    bool baseline = false;
    std::optional<long long> failed_statement;
    std::optional<long long> failed_line;
    std::string error;
};

// Creates the table if it is missing (needs the migrate lock held).
void ensure_state_table(pg::Connection& db);

// Applied rows by version; empty when the table does not exist yet (read-only callers).
std::vector<AppliedMigration> read_state(pg::Connection& db);

// Who applies: "<database role> (<os user>@<host>)".
std::string applied_by(pg::Connection& db);

}  // namespace spotctl::migrate
