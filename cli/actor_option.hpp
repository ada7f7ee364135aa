#pragma once
// The --as option of every command that changes data on a staff member's behalf.
#include <string>

#include "cli/command_builder.hpp"

namespace spotctl::cli {

inline CLI::Option* actor_option(CommandBuilder& builder, std::string& email) {
    return builder.setting(
        builder.app().add_option("--as", email, "The staff member acting: e-mail of a moderator or admin")->type_name("EMAIL"),
        "SPOTCTL_ACTOR", "actor");
}

}  // namespace spotctl::cli
