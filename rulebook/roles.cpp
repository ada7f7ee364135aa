#include "rulebook/roles.hpp"

namespace spotctl::rulebook {

bool role_allows(std::string_view role, Level level) {
    return role == "admin" || (level == Level::moderator && role == "moderator");
}

bool is_staff(std::string_view role) { return role_allows(role, Level::moderator); }

std::string_view level_description(Level level) { return level == Level::admin ? "an admin" : "a moderator or admin"; }

}  // namespace spotctl::rulebook
