#pragma once
// Static checks for migration files: statements that would lock a busy table for long,
// rewrite it, or fail at run time. Tables created earlier in the same file are exempt
// from the locking rules, since a new table is empty and nobody else uses it yet.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::migrate {

struct LintFinding {
    std::string rule;     // stable id, e.g. "index-not-concurrent"
    std::size_t line;     // 1-based line in the file of the offending statement
    std::string message;  // one line, lowercase start, no final full stop
    std::string hint;     // what to do instead
};

// Lints one migration file's text; no_transaction is true when the file's first line is
// `-- spotctl:no-transaction`. Findings come in statement order. Throws spotctl::Error
// (Exit::data) when the script cannot be split (an unterminated quote or comment).
std::vector<LintFinding> lint(std::string_view script, bool no_transaction);

}  // namespace spotctl::migrate
