#include "commands/migrate/migration_state.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

namespace spotctl::migrate {

void ensure_state_table(pg::Connection& db) {
    db.exec(R"(
CREATE TABLE IF NOT EXISTS spotctl_schema_migrations (
    version          bigint PRIMARY KEY,
    name             text        NOT NULL,
    checksum         text        NOT NULL,
    applied_at       timestamptz NOT NULL DEFAULT now(),
    applied_by       text        NOT NULL,
    execution_ms     bigint      NOT NULL DEFAULT 0,
    spotctl_version  text        NOT NULL,
    dirty            boolean     NOT NULL DEFAULT false,
    baseline         boolean     NOT NULL DEFAULT false,
    failed_statement integer,
    failed_line      integer,
    error            text
))");
}

std::vector<AppliedMigration> read_state(pg::Connection& db) {
    std::vector<AppliedMigration> out;
    auto exists = db.exec("SELECT to_regclass('spotctl_schema_migrations') IS NOT NULL AS present");
    if (!exists[0].boolean("present")) return out;
    auto rows = db.exec(R"(
SELECT version, name, checksum,
       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS applied_at,
       applied_by, execution_ms, spotctl_version, dirty, baseline, failed_statement, failed_line, error
  FROM spotctl_schema_migrations ORDER BY version)");
    for (auto r : rows) {
        AppliedMigration a;
        a.version = r.integer("version");
        a.name = r.str("name");
        a.checksum = r.str("checksum");
        a.applied_at = r.str("applied_at");
        a.applied_by = r.str("applied_by");
        a.execution_ms = r.integer("execution_ms");
        a.spotctl_version = r.str("spotctl_version");
        a.dirty = r.boolean("dirty");
        a.baseline = r.boolean("baseline");
        if (!r.is_null("failed_statement")) a.failed_statement = r.integer("failed_statement");
        if (!r.is_null("failed_line")) a.failed_line = r.integer("failed_line");
        a.error = r.str("error");
        out.push_back(std::move(a));
    }
    return out;
}

std::string applied_by(pg::Connection& db) {
    auto role = db.exec("SELECT current_user AS role")[0].str("role");
    const char* user = std::getenv("USER");
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return fmt::format("{} ({}@{})", role, user && *user ? user : std::to_string(::getuid()), host);
}

}  // namespace spotctl::migrate
