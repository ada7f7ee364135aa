#pragma once
// Ctrl-C (SIGINT) and SIGTERM during a long scan: the first one asks the scan to stop after the
// round it is in, so the command can report what it did and the cursor to resume from; a
// second one ends the process at once, as usual.
#include <optional>

namespace spotctl::cache {

class StopSignal {
public:
    StopSignal();   // installs the handlers
    ~StopSignal();  // restores the previous ones
    StopSignal(const StopSignal&) = delete;
    StopSignal& operator=(const StopSignal&) = delete;

    // The signal that asked to stop, if one did.
    static std::optional<int> received();
};

}  // namespace spotctl::cache
