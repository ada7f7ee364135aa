#pragma once
// What the migrate test files share: running `spotctl migrate` on a test database with a
// migrations directory, and the schema pg_dump sees.
#include <string>
#include <vector>

#include "support/harness.hpp"

namespace spotctl::test {

// The platform's own migrations/ directory.
std::string platform_migrations_dir();

// spotctl --database-url DB migrate --dir DIR ARGS...
RunResult run_migrate(const TempDatabase& db, const std::vector<std::string>& args,
                      const std::string& dir = platform_migrations_dir());

// pg_dump --schema-only of the database (fails the test when pg_dump fails). `exclude_table`
// leaves one table out, such as spotctl's own state table when comparing with another tool.
std::string schema_dump(const TempDatabase& db, const std::string& exclude_table = "");

}  // namespace spotctl::test
