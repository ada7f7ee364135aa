#pragma once
// Answers to a mistyped command line: which word is unknown (a command, subcommand or option),
// the nearest names it could have meant ("did you mean ...?") and the usage line of the command
// actually typed ("spotctl moderate approve", not "approve"). Read from the same CLI11 tree the
// line is parsed with, so it cannot drift from the commands.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::cli {

// Optimal string alignment distance: an insertion, a deletion, a substitution or a swap of two
// neighbouring letters each count 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidates nearest to `word`, if near enough to be a typo (at most 1 edit for words of up
// to 4 letters, 2 beyond), else those starting with `word`; best first, in the candidates' order.
std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// "usage: spotctl moderate approve [OPTIONS] ID" (COMMAND where subcommands follow).
std::string usage_line(const CLI::App* app);

// The deepest command the words name ("moderate approve"), reading past options and their values.
const CLI::App* typed_command(const CLI::App& root, const std::vector<std::string>& args);

struct Mistake {
    std::string message;  // "unknown command 'aprove' for 'spotctl moderate'"
    std::string hint;     // "did you mean 'approve'? usage: spotctl moderate COMMAND [OPTIONS]"
};

// The first unknown word of a line CLI11 refused; nullopt when every word is known (a missing
// value or a failed check: CLI11's own message says it better).
std::optional<Mistake> diagnose(const CLI::App& root, const std::vector<std::string>& args);

// Moves options of the typed command given before it ("spotctl --as ME moderate approve ...")
// after it, so such options are accepted on either side of the command like the global ones.
std::vector<std::string> hoist_command_options(const CLI::App& root, std::vector<std::string> args);

}  // namespace spotctl::cli
