#pragma once
// The injection corpus of the hostile-input tests, and the checks every outcome must pass.
#include <chrono>
#include <map>
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

// The file the corpus's `$(touch ...)` payload would create if a shell ever ran it.
std::string shell_payload_file();

// How long the corpus's pg_sleep payload sleeps: a call that executed it lasts at least this.
constexpr std::chrono::seconds sleep_payload_duration{20};

// Neither shell nor SQL payload ran: no file from the `$(touch ...)`, and when `value` is the
// pg_sleep payload, the calls since `started` took less than its sleep.
void require_payloads_inert(const std::string& value, std::chrono::steady_clock::time_point started);

// A digest of every table of the public schema (its rows, in order), to prove that an injection
// dropped, truncated, deleted or changed nothing.
class TableDigests {
public:
    explicit TableDigests(TempDatabase& db);
    // Every table is still there, holding the same rows, except the tables in `may_change`.
    void require_unchanged(const std::set<std::string>& may_change = {});

private:
    static std::map<std::string, std::string> take(TempDatabase& db);
    TempDatabase& db_;
    std::map<std::string, std::string> digests_;
};

}  // namespace spotctl::test
