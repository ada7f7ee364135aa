#pragma once
// Files on disk against rows in the database: what is applied, pending, changed since it
// was applied, missing from disk, or dirty (a failed non-transactional migration).
#include <string_view>
#include <vector>

#include "commands/migrate/migration_files.hpp"
#include "commands/migrate/migration_state.hpp"

namespace spotctl::migrate {

enum class State { applied, pending, changed, missing, dirty };
std::string_view state_name(State state);

struct Entry {
    long long version;
    std::string label;
    State state;
    const MigrationFile* file;        // null when missing from disk
    const AppliedMigration* applied;  // null when pending
};

// One entry per version found on either side, in version order.
std::vector<Entry> compare(const std::vector<MigrationFile>& files, const std::vector<AppliedMigration>& applied);

// True when anything needs attention: pending, changed, missing or dirty.
bool needs_attention(const std::vector<Entry>& entries);

}  // namespace spotctl::migrate
