#pragma once
// Runs a batched migration (batch_directive.hpp): key range after key range, each in its own
// transaction that also moves the migration's row in spotctl_backfills on, so a run that is
// killed resumes at the first range it did not commit and no row is changed twice. The key
// bounds are read once, when the backfill starts: rows added later with higher keys are the
// application's to write correctly. The migration is recorded as applied after the last range.
#include <optional>
#include <string>

#include "commands/migrate/runner.hpp"

namespace spotctl::migrate {

long long run_backfill(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings);

// Where the backfill of migration `version` stands, for `migrate status`: "backfill interrupted
// at key 5001 of 1..10000 (50%), 5000 rows in 12 batches, longest 180ms"; nullopt when none
// has started. `running`: another run holds the migrate lock, so it is going on now.
std::optional<std::string> backfill_progress(pg::Connection& db, long long version, bool running);

}  // namespace spotctl::migrate
