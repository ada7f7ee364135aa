#pragma once
namespace spotctl::cli {
// Parses the command line, runs the chosen command and returns the process exit code.
// The only place errors become messages and exit codes.
int run(int argc, char** argv);
}  // namespace spotctl::cli
