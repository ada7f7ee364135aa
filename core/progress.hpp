#pragma once
// Progress of long work (loads, exports, purges, scans) on stderr, only when stderr is a
// terminal and --quiet is off. Redraws at most ten times a second; clears its line when done.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace spotctl {

class Progress {
public:
    // total: the expected count when known (then a percentage and an ETA are shown).
    Progress(std::string label, std::optional<std::uint64_t> total = std::nullopt, std::string unit = "rows");
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void advance(std::uint64_t n = 1);
    void set_label(std::string label);
    void finish();
    std::uint64_t count() const { return done_; }

    // Turned off globally by --quiet.
    static void set_enabled(bool enabled);

private:
    void draw(bool final);

    std::string label_;
    std::optional<std::uint64_t> total_;
    std::string unit_;
    std::uint64_t done_ = 0;
    bool active_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace spotctl
