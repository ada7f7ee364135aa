#include "rulebook/environment_guard.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::rulebook {

void check_environment_name(std::string_view name) {
    if (name != "production" && name != "staging" && name != "development")
        throw Error(Exit::usage, fmt::format("unknown environment '{}'", name), "use production, staging or development");
}

std::optional<std::string> read_environment(pg::Connection& db) {
    if (db.exec("SELECT to_regclass('spotctl_settings') IS NULL AS missing")[0].boolean("missing")) return std::nullopt;
    auto r = db.exec("SELECT value FROM spotctl_settings WHERE key = 'environment'");
    if (r.empty()) return std::nullopt;
    return r[0].str("value");
}

void write_environment(pg::Connection& db, std::string_view name, std::string_view marked_by) {
    check_environment_name(name);
    db.exec(R"(
CREATE TABLE IF NOT EXISTS spotctl_settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
))");
    db.exec("INSERT INTO spotctl_settings (key, value, updated_by) VALUES ('environment', $1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by",
            pg::params(name, marked_by));
}

void refuse_production(pg::Connection& db, std::string_view action, bool allow_production) {
    if (allow_production) return;
    if (read_environment(db) != std::optional<std::string>("production")) return;
    auto name = db.exec("SELECT current_database() AS name")[0].str("name");
    throw Error(Exit::no_perm, fmt::format("refusing to {} database '{}': it is marked as production", action, name),
                "add --allow-production if you really mean it, or mark a copy with 'spotctl seed mark --environment staging'");
}

}  // namespace spotctl::rulebook
