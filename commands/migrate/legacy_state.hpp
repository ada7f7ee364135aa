#pragma once
// Another tool's record of what it applied, read (never changed) when `spotctl migrate baseline
// --from` adopts a database that golang-migrate or dbmate migrated. Both keep a table named
// schema_migrations: golang-migrate one row (version bigint, dirty boolean) for the current
// version, dbmate one row (version varchar) per applied migration.
#include <optional>
#include <string_view>
#include <vector>

#include "commands/migrate/migration_files.hpp"
#include "core/pg.hpp"

namespace spotctl::migrate {

enum class LegacyTool { golang_migrate, dbmate };

inline constexpr const char* legacy_table = "schema_migrations";

std::optional<LegacyTool> legacy_tool(std::string_view name);
std::string_view legacy_tool_name(LegacyTool tool);

// The files that tool applied, in version order. Error(Exit::data) when its table is missing or
// is the other tool's, holds nothing, is dirty, or names a version no file has.
std::vector<const MigrationFile*> applied_by_legacy_tool(pg::Transaction& tx, LegacyTool tool,
                                                         const std::vector<MigrationFile>& files);

}  // namespace spotctl::migrate
