#pragma once
// The command table: every command area, in the order `spotctl --help` lists them.
#include <string>
#include <vector>

#include "cli/command_builder.hpp"

namespace spotctl::cli {

struct CommandArea {
    std::string name;
    std::string summary;
    void (*define)(CommandBuilder&);
};

const std::vector<CommandArea>& command_areas();

}  // namespace spotctl::cli
