#pragma once
// One error type for the whole program: what failed, why, an optional hint, and the
// sysexits-style exit code it maps to. Lower layers throw it; only cli/main catches.
#include <stdexcept>
#include <string>
#include <system_error>

namespace spotctl {

enum class Exit : int {
    ok = 0,
    failure = 1,       // a check found problems (--check), or the user declined a prompt
    usage = 64,        // bad flag or argument
    data = 65,         // bad input data
    unavailable = 69,  // PostgreSQL, Redis or HTTP service unavailable
    internal = 70,     // a bug or an unexpected server answer
    cant_write = 73,   // cannot write output
    temp_fail = 75,    // lock held by another run, conflicting decision: try again
    no_perm = 77,      // not permitted
    config = 78,       // bad configuration
};

class Error : public std::runtime_error {
public:
    Error(Exit code, const std::string& message, std::string hint = {})
        : std::runtime_error(message), code_(code), hint_(std::move(hint)) {}
    Exit code() const noexcept { return code_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    Exit code_;
    std::string hint_;
};

// The text of an errno value, safe from any thread (std::strerror is not: health probes in parallel).
inline std::string errno_text(int err) { return std::generic_category().message(err); }

}  // namespace spotctl
