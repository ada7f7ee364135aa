#pragma once
// The last resort behind the CLI's validators: a PostgreSQL data exception (SQLSTATE class 22:
// text that is not a uuid, a time or a number, a value out of range) never reaches a person in
// the server's words. It becomes a usage error naming the argument that held the value, or a
// data error quoting the value when no argument did (a file, the configuration).
#include <CLI/CLI.hpp>

#include "core/errors.hpp"

namespace spotctl::cli {

// `e` as a person should read it: unchanged unless it is such a data exception. `leaf` is the
// command that ran; its options and its parents' are searched for the value.
Error for_a_person(const Error& e, const CLI::App& leaf);

}  // namespace spotctl::cli
