#pragma once
// The platform's roles (users.role) and what each may do in spotctl's admin actions.
#include <array>
#include <string>
#include <string_view>

namespace spotctl::rulebook {

inline constexpr std::array<std::string_view, 4> roles{"user", "operator", "moderator", "admin"};
// The role an account has without privileges (what `staff revoke` returns it to), and the top one.
inline constexpr std::string_view plain_role = roles[0];
inline constexpr std::string_view admin_role = roles[3];

// The level an admin action needs: moderator (moderators and admins) or admin (admins only).
// Moderation, suspension, restore and fraud review need a moderator; a ban needs an admin.
enum class Level { moderator, admin };

// Whether an account with `role` may perform an action of `level`.
bool role_allows(std::string_view role, Level level);
// Moderators and admins: staff accounts, which only an admin may sanction.
bool is_staff(std::string_view role);
// "a moderator or admin", "an admin": for messages.
std::string_view level_description(Level level);
// "'moderator', 'admin'": the staff roles, for `role IN (...)` in SQL (no role restated there).
std::string staff_roles_sql();

}  // namespace spotctl::rulebook
