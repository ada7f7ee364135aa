#include "rulebook/actor.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::rulebook {

Actor require_actor(pg::Transaction& tx, std::string_view email, Level level, std::string_view action) {
    if (email.empty())
        throw Error(Exit::usage, fmt::format("{} needs an actor", action),
                    "give --as EMAIL (a moderator or admin), or set SPOTCTL_ACTOR");
    auto r = tx.exec("SELECT id::text AS id, email::text AS email, role, status FROM users WHERE email = $1::citext FOR SHARE",
                     pg::params(std::string(email)));
    if (r.empty())
        throw Error(Exit::no_perm, fmt::format("actor '{}' is not a user of this platform", email),
                    "--as takes the e-mail of a moderator or admin account");
    auto row = r[0];
    Actor a{row.str("id"), row.str("email"), row.str("role")};
    std::string status = row.str("status");
    if (status != "active")
        throw Error(Exit::no_perm, fmt::format("actor {} may not act: the account is {}", a.email, status));
    if (!role_allows(a.role, level))
        throw Error(Exit::no_perm,
                    fmt::format("{} is refused for {}: the role is {}, and this needs {}", action, a.email, a.role,
                                level_description(level)));
    return a;
}

audit::Entry audit_entry(const Actor& actor, std::string action, std::string subject_type, std::string subject_id,
                         std::string reason) {
    return audit::Entry{actor.id, actor.email, std::move(action), std::move(subject_type), std::move(subject_id),
                        std::nullopt, std::nullopt, std::move(reason)};
}

}  // namespace spotctl::rulebook
