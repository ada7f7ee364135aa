#pragma once
// Migration files on disk, ordered by number, in one of two formats per directory:
// - paired (spotctl's and golang-migrate's): NNNN_name.up.sql and NNNN_name.down.sql, where the
//   name is anything golang-migrate accepts (dots, dashes, spaces, non-ASCII); a file whose first
//   line is `-- spotctl:no-transaction` runs outside a transaction, statement by statement; one
//   whose header has `-- spotctl:batch ...` runs in key ranges (batch_directive.hpp);
// - dbmate's: one NNNN_name.sql holding `-- migrate:up` and `-- migrate:down` sections, where
//   `transaction:false` on a section line runs that section outside a transaction.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/migrate/batch_directive.hpp"

namespace spotctl::migrate {

struct Script {
    std::filesystem::path path;
    std::string sql;
    bool no_transaction = false;
    long long first_line = 1;  // the file's line where `sql` starts (a dbmate section starts mid-file)
    std::optional<BatchDirective> batch;  // a `-- spotctl:batch` header: runs in key ranges

    // "path:line" for a line of `sql` (1-based), as the file numbers it.
    std::string location(long long line) const;
};

enum class FileFormat { paired, dbmate };

struct MigrationFile {
    long long version = 0;
    std::string version_text;  // as written, e.g. "0007"
    std::string name;          // e.g. "security_and_fraud"
    Script up;
    std::optional<Script> down;  // path always; sql only when read
    std::string checksum;  // sha256 of the up file (of the up section, for dbmate)
    FileFormat format = FileFormat::paired;

    std::string label() const { return version_text + "_" + name; }
    // What `down` lacks when there is no down script, naming the file: the path of the missing
    // NNNN_name.down.sql, or the dbmate file without down SQL.
    std::string missing_down() const;
};

inline constexpr std::string_view no_transaction_marker = "-- spotctl:no-transaction";

bool is_no_transaction(std::string_view sql);

// Reads every migration in `dir`, sorted by version. Files that are not *.sql are ignored;
// a *.sql file with a name that does not fit, a duplicate version (naming both paths), a down
// file without its up file, a malformed dbmate file or a directory mixing the two formats is an
// Error(Exit::data) naming the file.
// Down files are read only when `read_down` (status does not need them; their existence is recorded).
std::vector<MigrationFile> load_migrations(const std::filesystem::path& dir, bool read_down = true);

// The directory to use: --dir or migrate.dir if given; else ./migrations; else the installed copy.
std::filesystem::path resolve_migrations_dir(const std::string& configured);

}  // namespace spotctl::migrate
