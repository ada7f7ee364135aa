#pragma once
// What the integration tests share: the servers scripts/test started (found through
// SPOTCTL_TEST_* variables), a fresh database per test case, temporary directories, and
// running the real spotctl binary to check its output and exit code.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/pg.hpp"
#include "support/temp_dir.hpp"

namespace spotctl::test {

// The value of a SPOTCTL_TEST_* variable; fails the test (never skips it) when missing.
std::string required_env(const char* name);

// key=value connection string for a database on the test server, as the superuser.
std::string pg_conninfo(const std::string& dbname = "postgres");

// A database of its own for one test case, dropped at the end. `template_db` is
// "template0" for an empty database or "spotctl_template" for one with the platform schema.
class TempDatabase {
public:
    explicit TempDatabase(const std::string& template_db = "template0");
    ~TempDatabase();
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;

    const std::string& name() const { return name_; }
    std::string url() const { return pg_conninfo(name_); }
    pg::Connection& conn();
    // One value of a query, as text ("" for NULL).
    std::string scalar(const std::string& sql, const pg::Params& params = {});

private:
    std::string name_;
    std::unique_ptr<pg::Connection> conn_;
};


struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the spotctl binary with `args`. The environment is the test's own plus `env`
// (a value of "" removes the variable).
RunResult run_spotctl(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                      const std::string& input = "");

// Runs spotctl on a pseudo-terminal (stdin, stdout and stderr all a terminal, as when a person
// types the command), types `answer` once `prompt` appears, and returns everything the terminal
// showed in `out`. A run that shows no prompt, or hangs, is killed after 30 seconds (exit -1).
RunResult run_spotctl_on_terminal(const std::vector<std::string>& args, const std::string& prompt, const std::string& answer);

// Starts spotctl without waiting; wait() collects the result.
class Background {
public:
    Background(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
    ~Background();
    RunResult wait();
    // Polls what it has written to stderr so far until `text` appears; false after about ten
    // seconds. For waiting until it reached a point it announces.
    bool wait_for_stderr(const std::string& text);
    // Sends `sig` to the process (SIGKILL to test a crash mid-run).
    void signal(int sig);

private:
    int pid_ = -1;
    std::filesystem::path out_path_, err_path_;
    std::unique_ptr<TempDir> dir_;
};

// Runs a shell command; returns its exit code and stdout.
RunResult run_shell(const std::string& command);

// How many migrations the platform's schema has (the .up.sql files in migrations/).
std::size_t platform_migration_count();

}  // namespace spotctl::test
