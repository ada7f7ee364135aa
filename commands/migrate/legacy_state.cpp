#include "commands/migrate/legacy_state.hpp"

#include <fmt/format.h>
#include <set>
#include <string>

#include "core/errors.hpp"
#include "core/parse_number.hpp"

namespace spotctl::migrate {
namespace {

std::set<std::string> legacy_columns(pg::Transaction& tx, LegacyTool tool) {
    auto present = tx.exec("SELECT to_regclass($1) IS NOT NULL AS present", pg::params(std::string(legacy_table)));
    if (!present[0].boolean("present"))
        throw Error(Exit::data,
                    fmt::format("no {} table in this database: {} has not migrated it", legacy_table, legacy_tool_name(tool)),
                    "check --database-url, or adopt the database with 'spotctl migrate baseline --version N'");
    std::set<std::string> columns;
    for (auto r : tx.exec("SELECT attname::text AS name FROM pg_attribute "
                          "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped",
                          pg::params(std::string(legacy_table))))
        columns.insert(r.str("name"));
    return columns;
}

long long version_number(const std::string& text, LegacyTool tool) {
    auto v = parse_number<long long>(text);
    if (!v) throw Error(Exit::data, fmt::format("{}.version holds '{}', not a version {} wrote", legacy_table, text, legacy_tool_name(tool)));
    return *v;
}

const MigrationFile& file_with(const std::vector<MigrationFile>& files, long long version, const std::string& text,
                               LegacyTool tool) {
    for (const auto& f : files)
        if (f.version == version) return f;
    throw Error(Exit::data,
                fmt::format("{} recorded version {} in {}, but no migration file has that version", legacy_tool_name(tool),
                            text, legacy_table),
                fmt::format("give the directory {} used with --dir", legacy_tool_name(tool)));
}

// golang-migrate: one row, the version everything up to which is applied, unless dirty.
std::vector<const MigrationFile*> golang_migrate(pg::Transaction& tx, const std::vector<MigrationFile>& files) {
    if (!legacy_columns(tx, LegacyTool::golang_migrate).count("dirty"))
        throw Error(Exit::data, fmt::format("{} has no dirty column: it is not golang-migrate's table", legacy_table),
                    "dbmate's table has only a version column: try --from dbmate");
    auto rows = tx.exec(fmt::format("SELECT version::text AS version, dirty FROM {}", legacy_table));
    if (rows.empty())
        throw Error(Exit::data, fmt::format("{} is empty: golang-migrate has applied nothing here", legacy_table),
                    "apply the migrations with 'spotctl migrate up' instead");
    if (rows.size() > 1)
        throw Error(Exit::data, fmt::format("{} holds {} rows: golang-migrate keeps exactly one", legacy_table, rows.size()));
    std::string text = rows[0].str("version");
    if (rows[0].boolean("dirty"))
        throw Error(Exit::data,
                    fmt::format("golang-migrate's state is dirty at version {}: that migration failed part-way; nothing "
                                "recorded",
                                text),
                    fmt::format("finish or undo migration {} by hand, run golang-migrate's 'migrate force {}' (or the "
                                "version before it, if it did not apply), then baseline again",
                                text, text));
    long long version = version_number(text, LegacyTool::golang_migrate);
    file_with(files, version, text, LegacyTool::golang_migrate);
    std::vector<const MigrationFile*> out;
    for (const auto& f : files)
        if (f.version <= version) out.push_back(&f);
    return out;
}

// dbmate: one row per applied migration, possibly with gaps.
std::vector<const MigrationFile*> dbmate(pg::Transaction& tx, const std::vector<MigrationFile>& files) {
    auto columns = legacy_columns(tx, LegacyTool::dbmate);
    if (columns.count("dirty"))
        throw Error(Exit::data, fmt::format("{} has a dirty column: it is golang-migrate's table, not dbmate's", legacy_table),
                    "try --from golang-migrate");
    if (!columns.count("version")) throw Error(Exit::data, fmt::format("{} has no version column", legacy_table));
    auto rows = tx.exec(fmt::format("SELECT version::text AS version FROM {}", legacy_table));
    if (rows.empty())
        throw Error(Exit::data, fmt::format("{} is empty: dbmate has applied nothing here", legacy_table),
                    "apply the migrations with 'spotctl migrate up' instead");
    std::set<long long> versions;
    for (auto r : rows) {
        std::string text = r.str("version");
        long long version = version_number(text, LegacyTool::dbmate);
        file_with(files, version, text, LegacyTool::dbmate);
        versions.insert(version);
    }
    std::vector<const MigrationFile*> out;
    for (const auto& f : files)
        if (versions.count(f.version)) out.push_back(&f);
    return out;
}

}  // namespace

std::optional<LegacyTool> legacy_tool(std::string_view name) {
    if (name == "golang-migrate") return LegacyTool::golang_migrate;
    if (name == "dbmate") return LegacyTool::dbmate;
    return std::nullopt;
}

std::string_view legacy_tool_name(LegacyTool tool) { return tool == LegacyTool::dbmate ? "dbmate" : "golang-migrate"; }

std::vector<const MigrationFile*> applied_by_legacy_tool(pg::Transaction& tx, LegacyTool tool,
                                                         const std::vector<MigrationFile>& files) {
    return tool == LegacyTool::dbmate ? dbmate(tx, files) : golang_migrate(tx, files);
}

}  // namespace spotctl::migrate
