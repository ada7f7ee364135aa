#pragma once
// Migration files on disk: NNNN_name.up.sql and NNNN_name.down.sql (golang-migrate's naming),
// ordered by number. A file whose first line is `-- spotctl:no-transaction` runs outside a
// transaction, statement by statement.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::migrate {

struct Script {
    std::filesystem::path path;
    std::string sql;
    bool no_transaction = false;
};

struct MigrationFile {
    long long version = 0;
    std::string version_text;  // as written, e.g. "0007"
    std::string name;          // e.g. "security_and_fraud"
    Script up;
    std::optional<Script> down;  // path always; sql only when read
    std::string checksum;  // sha256 of the up file

    std::string label() const { return version_text + "_" + name; }
};

inline constexpr std::string_view no_transaction_marker = "-- spotctl:no-transaction";

bool is_no_transaction(std::string_view sql);

// Reads every migration in `dir`, sorted by version. Files that are not *.sql are ignored;
// a *.sql file with a name that does not fit, a duplicate version or a down file without
// its up file is an Error(Exit::data) naming the file.
// Down files are read only when `read_down` (status does not need them; their existence is recorded).
std::vector<MigrationFile> load_migrations(const std::filesystem::path& dir, bool read_down = true);

// The directory to use: --dir or migrate.dir if given; else ./migrations; else the installed copy.
std::filesystem::path resolve_migrations_dir(const std::string& configured);

}  // namespace spotctl::migrate
