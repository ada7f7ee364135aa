#pragma once
// Collects the spotctl command lines the project documents (README console and sh blocks, each
// man page's EXAMPLES, examples/crontab, ExecStart= of examples/systemd/*.service, the examples
// of every --help), so a test can run each one. A line that cannot run in a sandbox says so in its
// source: a trailing `# illustrative: REASON`, or a comment line `# illustrative: REASON` just
// before it (systemd units cannot have a comment on the ExecStart= line itself).
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace spotctl::test {

// One command line of a document, with the output the document shows after it (console blocks).
struct DocStep {
    int line = 0;                       // where the command starts in `DocBlock::source`
    std::string command;                // as a shell runs it: cron fields, systemd escapes removed
    std::vector<std::string> shown;     // output lines the document shows after a `$ ` prompt
    std::optional<std::string> illustrative;  // the reason, when the source marks it
};

// Steps documented together, which run in order in one sandbox (a later one may use an
// earlier one's file or change).
struct DocBlock {
    std::string source;                 // a file relative to the source tree, or "spotctl X --help"
    std::string shell = "bash";         // cron and systemd run /bin/sh
    std::set<int> success_exits = {0};  // systemd's SuccessExitStatus= adds to these
    std::vector<DocStep> steps;
};

// True when the command line starts spotctl (anywhere in a pipeline, `&&` chain or sh -c).
bool runs_spotctl(const std::string& command);

// The marker's reason in a line (`# illustrative: REASON`), if any.
std::optional<std::string> illustrative_reason(const std::string& line);

std::vector<DocBlock> markdown_blocks(const std::string& path, const std::string& label);
std::vector<DocBlock> scdoc_example_blocks(const std::string& path, const std::string& label);
// A system crontab (/etc/cron.d format: five time fields, then the user).
std::vector<DocBlock> crontab_blocks(const std::string& path, const std::string& label);
std::vector<DocBlock> systemd_blocks(const std::string& path, const std::string& label);
// The examples a command's --help shows, from the string literals of its CLI source (a line
// "  spotctl ..." in a literal); consecutive lines form one block.
std::vector<DocBlock> help_example_blocks(const std::string& path, const std::string& label);

}  // namespace spotctl::test
