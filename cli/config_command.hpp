#pragma once
// `spotctl config`: where the configuration comes from and what every setting is now.
#include <vector>

#include "cli/command_builder.hpp"

namespace spotctl::cli {

// `settings` is read when the command runs, after every area has declared its own.
void define_config(CommandBuilder& builder, const std::vector<Setting>& settings);

// Keys in `config` that no command reads: (dotted key, "path:line").
std::vector<std::pair<std::string, std::string>> unknown_config_keys(const std::vector<Setting>& settings,
                                                                     const Config& config);

}  // namespace spotctl::cli
