#include "rulebook/roles.hpp"

namespace spotctl::rulebook {

bool role_allows(std::string_view role, Level level) {
    return role == "admin" || (level == Level::moderator && role == "moderator");
}

bool is_staff(std::string_view role) { return role_allows(role, Level::moderator); }

std::string_view level_description(Level level) { return level == Level::admin ? "an admin" : "a moderator or admin"; }

std::string staff_roles_sql() {
    std::string sql;
    for (std::string_view role : roles)
        if (is_staff(role)) sql += (sql.empty() ? "'" : ", '") + std::string(role) + "'";
    return sql;
}

}  // namespace spotctl::rulebook
