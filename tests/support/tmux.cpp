#include "support/tmux.hpp"

#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <thread>

#include "support/harness.hpp"

namespace spotctl::test {
namespace {

constexpr auto poll = std::chrono::milliseconds(50);

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

template <typename F>
bool poll_until(int seconds, F done) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(poll);
    }
    return done();
}

}  // namespace

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

TmuxTerminal::TmuxTerminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, int width,
                           int height)
    : socket_((dir_ / "tmux.sock").string()) {
    std::string command = "env";
    std::map<std::string, std::string> all = {{"LANG", "C.UTF-8"}, {"LC_ALL", ""}};
    for (const auto& [k, v] : env) all[k] = v;
    for (const auto& [k, v] : all)  // env takes its -u options before the assignments
        if (v.empty()) command += " -u " + k;
    for (const auto& [k, v] : all)
        if (!v.empty()) command += " " + shell_quote(k + "=" + v);
    command += " " + shell_quote(SPOTCTL_BINARY);
    for (const auto& a : args) command += " " + shell_quote(a);
    // The shell stays the pane's process and writes spotctl's exit code when it ends.
    std::string shell = fmt::format("{}; echo $? > {}", command, shell_quote((dir_ / "rc").string()));
    // The pane stays after spotctl ends, so its last screen can still be read; the status bar
    // is off, so the terminal is exactly width x height.
    auto conf = dir_.write("tmux.conf", "set -g remain-on-exit on\nset -g status off\n");
    std::string out = tmux(fmt::format("-f {} new-session -d -x {} -y {} {}", shell_quote(conf.string()), width, height,
                                       shell_quote(shell)));
    INFO(out);
}

TmuxTerminal::~TmuxTerminal() { tmux("kill-server"); }

std::string TmuxTerminal::tmux(const std::string& arguments) {
    return run_shell(fmt::format("tmux -S {} {} 2>&1", shell_quote(socket_), arguments)).out;
}

void TmuxTerminal::keys(const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) list += " " + shell_quote(n);
    tmux("send-keys" + list);
}

void TmuxTerminal::type(const std::string& text) { tmux("send-keys -l " + shell_quote(text)); }

std::string TmuxTerminal::screen(bool escapes) { return tmux(escapes ? "capture-pane -p -e" : "capture-pane -p"); }

std::string TmuxTerminal::everything() { return tmux("capture-pane -p -S -"); }

bool TmuxTerminal::wait_for(const std::string& text, int seconds) {
    bool found = poll_until(seconds, [&] { return everything().find(text) != std::string::npos; });
    if (!found) UNSCOPED_INFO("waited for '" << text << "'; the screen is:\n" << screen());
    return found;
}

bool TmuxTerminal::wait_until_gone(const std::string& text, int seconds) {
    bool gone = poll_until(seconds, [&] { return screen().find(text) == std::string::npos; });
    if (!gone) UNSCOPED_INFO("waited for '" << text << "' to go; the screen is:\n" << screen());
    return gone;
}

void TmuxTerminal::resize(int width, int height) { tmux(fmt::format("resize-window -x {} -y {}", width, height)); }

int TmuxTerminal::exit_code(int seconds) {
    auto rc = dir_ / "rc";
    if (!poll_until(seconds, [&] { return !read_file(rc).empty(); })) return -1;
    return std::stoi(read_file(rc));
}

int TmuxTerminal::spotctl_pid() {
    std::string shell = tmux("display-message -p '#{pane_pid}'");
    std::string children;
    poll_until(10, [&] {
        children = read_file(fmt::format("/proc/{}/task/{}/children", std::stoi(shell), std::stoi(shell)));
        return !children.empty();
    });
    return children.empty() ? -1 : std::stoi(children);
}

}  // namespace spotctl::test
