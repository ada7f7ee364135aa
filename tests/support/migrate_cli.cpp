#include "support/migrate_cli.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace spotctl::test {

std::string platform_migrations_dir() { return std::string(SPOTCTL_SOURCE_DIR) + "/migrations"; }

RunResult run_migrate(const TempDatabase& db, const std::vector<std::string>& args, const std::string& dir) {
    std::vector<std::string> full = {"--database-url", db.url(), "migrate", "--dir", dir};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

std::string schema_dump(const TempDatabase& db, const std::string& exclude_table) {
    // A fixed --restrict-key: pg_dump otherwise writes a random one into every dump.
    std::string exclude = exclude_table.empty() ? "" : fmt::format(" --exclude-table='{}'", exclude_table);
    auto r = run_shell(fmt::format("pg_dump --schema-only --no-owner --restrict-key=spotctltest{} '{}' 2>&1", exclude, db.url()));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

}  // namespace spotctl::test
