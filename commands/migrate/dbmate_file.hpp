#pragma once
// dbmate's one-file migrations: a `-- migrate:up` line, the up SQL, a `-- migrate:down` line, the
// down SQL. Options such as `transaction:false` follow the section line. As dbmate does, only
// blank and comment lines may come before the up section, and both sections must be there.
#include <filesystem>
#include <optional>
#include <string>

#include "commands/migrate/migration_files.hpp"

namespace spotctl::migrate {

struct DbmateSections {
    Script up;                  // from the `-- migrate:up` line to the `-- migrate:down` line
    std::optional<Script> down;  // to the end; none when the section holds no SQL statement
};

// Throws Error(Exit::data) naming path (and line) when the sections are missing or out of order.
DbmateSections parse_dbmate(const std::filesystem::path& path, const std::string& text);

}  // namespace spotctl::migrate
