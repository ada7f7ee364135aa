#include "commands/cache/stop_signal.hpp"

#include <atomic>
#include <csignal>

namespace spotctl::cache {
namespace {

std::atomic<int> stop_signal{0};
struct sigaction previous_int, previous_term;

void on_signal(int sig) {
    stop_signal = sig;
    // The next one is not caught: a second Ctrl-C ends the process.
    (void)std::signal(sig, SIG_DFL);  // nothing to do if it fails inside a handler
}

}  // namespace

StopSignal::StopSignal() {
    stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // reads from Redis go on; the scan loop checks between rounds
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
}

StopSignal::~StopSignal() {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
}

std::optional<int> StopSignal::received() {
    int sig = stop_signal;
    if (sig == 0) return std::nullopt;
    return sig;
}

}  // namespace spotctl::cache
