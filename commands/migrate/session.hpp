#pragma once
// What every migrate subcommand starts from: the files, and (for those that need it) the
// database state, read under the migrate lock when the subcommand changes anything.
#include <optional>
#include <vector>

#include "commands/migrate/migrate.hpp"
#include "commands/migrate/migration_files.hpp"
#include "commands/migrate/migration_state.hpp"
#include "commands/migrate/plan.hpp"
#include "core/job_lock.hpp"

namespace spotctl::migrate {

struct Session {
    std::vector<MigrationFile> files;
    std::vector<AppliedMigration> applied;
    std::vector<Entry> entries;
    std::optional<JobLock> lock;

    // Reads the files and the state. With `locked`, takes the migrate lock first and creates the
    // state table when missing.
    static Session open(Context& ctx, const Options& o, bool locked, bool read_down = true);
    // Re-reads the state (after changes).
    void refresh(Context& ctx);

    const Entry* dirty() const;
};

// Lines that explain a dirty migration: what failed, what it left behind, what repair does.
std::vector<std::string> explain_dirty(Context& ctx, const Entry& entry);
// INVALID indexes (from a failed concurrent build) that the failed migration's file names.
std::vector<std::string> invalid_indexes_left_by(Context& ctx, const Entry& entry);

// Prints a line for people (table output, not --quiet).
void say(Context& ctx, const std::string& line);

}  // namespace spotctl::migrate
