#include "support/harness.hpp"
#include "support/terminal_width.hpp"

#include <atomic>
#include <chrono>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <poll.h>
#include <pty.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace spotctl::test {

std::string required_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) FAIL(fmt::format("{} is not set: run the integration tests through scripts/test", name));
    return v;
}

std::string pg_conninfo(const std::string& dbname) {
    std::string base = required_env("SPOTCTL_TEST_PG");
    auto pos = base.find("dbname=");
    if (pos != std::string::npos) base.erase(pos, base.find(' ', pos) == std::string::npos ? std::string::npos : base.find(' ', pos) - pos);
    return base + " dbname=" + dbname;
}

namespace {
std::atomic<int> counter{0};

pg::Connection& admin() {
    static std::unique_ptr<pg::Connection> conn;
    if (!conn) conn = std::make_unique<pg::Connection>(pg::Settings{pg_conninfo("postgres"), "spotctl tests"});
    return *conn;
}
}  // namespace

TempDatabase::TempDatabase(const std::string& template_db) {
    name_ = fmt::format("spotctl_t_{}_{}", ::getpid(), counter++);
    admin().exec(fmt::format("CREATE DATABASE {} TEMPLATE {}", name_, template_db));
}

TempDatabase::~TempDatabase() {
    conn_.reset();
    try {
        admin().exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
    } catch (...) {
        // Leave it: the throwaway server goes away with the test run.
    }
}

pg::Connection& TempDatabase::conn() {
    if (!conn_) conn_ = std::make_unique<pg::Connection>(pg::Settings{url(), "spotctl tests"});
    return *conn_;
}

std::string TempDatabase::scalar(const std::string& sql, const pg::Params& params) {
    auto r = conn().exec(sql, params);
    if (r.empty()) return "";
    return r[0].str(std::size_t{0});
}

namespace {

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : extra) {
        if (v.empty()) env.erase(k);
        else env[k] = v;
    }
    std::vector<std::string> out;
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

// spotctl's argv and environment, prepared before fork() (nothing is allocated in the child).
struct Exec {
    std::string binary = SPOTCTL_BINARY;
    std::vector<std::string> args, envs;
    std::vector<char*> argv, envp;
    Exec(const std::vector<std::string>& a, const std::map<std::string, std::string>& env)
        : args(a), envs(merged_environment(env)) {
        argv.push_back(binary.data());
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        for (auto& e : envs) envp.push_back(e.data());
        envp.push_back(nullptr);
    }
    [[noreturn]] void run() {
        ::execve(binary.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
};

int spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, int in_fd, int out_fd,
          int err_fd) {
    Exec exec(args, env);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        exec.run();
    }
    return pid;
}

int wait_exit(int pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}


// Appends what a command printed to $SPOTCTL_TEST_OUTPUT_LOG, where scripts/test looks for the
// password canary after the suite: no output of any command may ever show it.
void record_output(const RunResult& r) {
    const char* log = std::getenv("SPOTCTL_TEST_OUTPUT_LOG");
    if (!log || !*log) return;
    int fd = ::open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) return;
    std::string text = r.out + r.err;
    for (std::size_t done = 0; done < text.size();) {
        auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

}  // namespace

RunResult run_spotctl(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                      const std::string& input) {
    TempDir dir;
    auto in_path = dir / "stdin", out_path = dir / "stdout", err_path = dir / "stderr";
    dir.write("stdin", input);
    int in_fd = ::open(in_path.c_str(), O_RDONLY);
    int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int pid = spawn(args, env, in_fd, out_fd, err_fd);
    ::close(in_fd);
    ::close(out_fd);
    ::close(err_fd);
    RunResult r;
    r.exit_code = wait_exit(pid);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    record_output(r);
    return r;
}

namespace {

// `columns` 0: the pseudo-terminal's default size, which reports no width.
RunResult run_on_terminal(const std::vector<std::string>& args, const std::string& prompt, const std::string& answer,
                          unsigned short columns) {
    Exec exec(args, {});
    int terminal = -1;
    winsize size{};
    size.ws_row = 24;
    size.ws_col = columns;
    pid_t pid = ::forkpty(&terminal, nullptr, nullptr, columns ? &size : nullptr);
    if (pid == 0) exec.run();
    RunResult r;
    if (pid < 0) return r;
    bool answered = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (char buf[4096];;) {
        pollfd p{terminal, POLLIN, 0};
        if (std::chrono::steady_clock::now() >= deadline || ::poll(&p, 1, 100) < 0) {
            ::kill(pid, SIGKILL);
            break;
        }
        if (p.revents == 0) continue;
        auto n = ::read(terminal, buf, sizeof buf);
        if (n <= 0) break;  // EIO: the terminal's other side closed with spotctl's exit
        r.out.append(buf, static_cast<std::size_t>(n));
        if (!answered && r.out.find(prompt) != std::string::npos) {
            answered = ::write(terminal, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size());
        }
    }
    ::close(terminal);
    int code = wait_exit(pid);
    r.exit_code = std::chrono::steady_clock::now() >= deadline ? -1 : code;
    record_output(r);
    return r;
}

}  // namespace

RunResult run_spotctl_on_terminal(const std::vector<std::string>& args, const std::string& prompt, const std::string& answer) {
    return run_on_terminal(args, prompt, answer, 0);
}

RunResult run_spotctl_on_terminal_of_width(const std::vector<std::string>& args, unsigned short columns) {
    return run_on_terminal(args, "", "", columns);
}

Background::Background(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
    : dir_(std::make_unique<TempDir>()) {
    out_path_ = *dir_ / "stdout";
    err_path_ = *dir_ / "stderr";
    int in_fd = ::open("/dev/null", O_RDONLY);
    int out_fd = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err_fd = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_ = spawn(args, env, in_fd, out_fd, err_fd);
    ::close(in_fd);
    ::close(out_fd);
    ::close(err_fd);
}

Background::~Background() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        wait_exit(pid_);
    }
}

void Background::signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

bool Background::wait_for_stderr(const std::string& text) {
    for (int i = 0; i < 400; ++i) {
        if (slurp(err_path_).find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

RunResult Background::wait() {
    RunResult r;
    r.exit_code = wait_exit(pid_);
    pid_ = -1;
    r.out = slurp(out_path_);
    r.err = slurp(err_path_);
    record_output(r);
    return r;
}

RunResult run_shell(const std::string& command) {
    RunResult r;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    record_output(r);
    return r;
}

std::size_t platform_migration_count() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(std::string(SPOTCTL_SOURCE_DIR) + "/migrations"))
        if (e.path().string().ends_with(".up.sql")) ++n;
    return n;
}

}  // namespace spotctl::test
