#pragma once
// Shell completion scripts generated from the same CLI11 tree the binary parses with, so
// completion cannot drift from the code: commands, subcommands, options, and the values of
// options that take one of a fixed set (-o formats, --on-conflict, ...).
#include <CLI/CLI.hpp>
#include <string>

namespace spotctl::cli {

// "bash", "zsh" or "fish"; Error(Exit::usage) otherwise.
std::string completion_script(const CLI::App& root, const std::string& shell);

}  // namespace spotctl::cli
