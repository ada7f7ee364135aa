#pragma once
// The injection corpus of the hostile-input tests, and the checks every outcome must pass.
#include <set>
#include <string>
#include <vector>

#include "support/harness.hpp"

namespace spotctl::test {

// Quotes, SQL and shell injection, LIKE and glob characters, backslashes, format strings, control
// characters, a huge value; with `binary` (for files), a 1 MiB value, a NUL byte and invalid
// UTF-8; without (for argv, which cannot carry a NUL nor one argument over 128 KiB), 100 kB.
std::vector<std::string> hostile_strings(bool binary);

// The value with control and non-ASCII bytes escaped, cut to 80 characters: for test messages.
std::string printable(const std::string& value);

// The run ended with one of `allowed`; a failure is one "spotctl: error: " line (and perhaps
// "spotctl: hint: " lines), never an internal error (70) or a crash.
void require_safe_outcome(const RunResult& r, const std::set<int>& allowed);

// The platform tables are all still there (nothing was dropped or truncated by an injection).
void require_schema_intact(TempDatabase& db);

}  // namespace spotctl::test
