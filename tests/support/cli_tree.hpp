#pragma once
// The command tree as a user can reach it, read from the generated bash completion script (which
// comes from the CLI11 definition): "migrate up" -> its options and subcommands.
#include <map>
#include <string>
#include <vector>

namespace spotctl::test {

std::map<std::string, std::vector<std::string>> cli_tree();

}  // namespace spotctl::test
