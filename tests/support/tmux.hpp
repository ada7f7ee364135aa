#pragma once
// A terminal for testing full-screen commands: spotctl runs in a tmux session of its own (its
// own server socket), keys go in with send-keys, the screen comes back with capture-pane, and
// the tests poll for what they expect (never a fixed sleep).
#include <map>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace spotctl::test {

class TmuxTerminal {
public:
    // Starts `spotctl args` on a width x height terminal, with `env` added (LANG=C.UTF-8 unless
    // given). The command's exit code is kept for exit_code().
    TmuxTerminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}, int width = 120,
                 int height = 30);
    ~TmuxTerminal();  // ends the tmux server, and spotctl with it
    TmuxTerminal(const TmuxTerminal&) = delete;
    TmuxTerminal& operator=(const TmuxTerminal&) = delete;

    // tmux key names or literal text: keys({"Enter"}), type("looks fine").
    void keys(const std::vector<std::string>& names);
    void type(const std::string& text);
    // The screen as text; with `escapes`, with its colour and attribute sequences.
    std::string screen(bool escapes = false);
    // The screen and the lines scrolled off it (what a command printed before it ended).
    std::string everything();
    // Polls the screen (and what scrolled off it) until it contains `text`; false (with the screen shown) after `seconds`.
    bool wait_for(const std::string& text, int seconds = 15);
    // Polls until the screen no longer contains `text`.
    bool wait_until_gone(const std::string& text, int seconds = 15);
    void resize(int width, int height);
    // The exit code once spotctl has ended (polls up to `seconds`); -1 if it has not.
    int exit_code(int seconds = 15);
    // The spotctl process's id (the shell's child in the pane).
    int spotctl_pid();

private:
    std::string tmux(const std::string& arguments);
    TempDir dir_;
    std::string socket_;
};

// `s` as one word for sh.
std::string shell_quote(const std::string& s);

}  // namespace spotctl::test
