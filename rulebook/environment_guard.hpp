#pragma once
// Which kind of database this is (production, staging, development), recorded in the database
// itself (table spotctl_settings), so that destructive jobs such as seeding refuse production
// wherever they are run from.
#include <optional>
#include <string>
#include <string_view>

#include "core/pg.hpp"

namespace spotctl::rulebook {

// Error(Exit::usage) for anything but production, staging or development.
void check_environment_name(std::string_view name);

std::optional<std::string> read_environment(pg::Connection& db);
void write_environment(pg::Connection& db, std::string_view name, std::string_view marked_by);

// Error(Exit::no_perm) when the database is marked production and `allow_production` is false.
void refuse_production(pg::Connection& db, std::string_view action, bool allow_production);

}  // namespace spotctl::rulebook
