#include "core/progress.hpp"

#include <atomic>
#include <cstdio>
#include <fmt/format.h>

#include "core/terminal.hpp"

namespace spotctl {
namespace {
std::atomic<bool> globally_enabled{true};
}

void Progress::set_enabled(bool enabled) { globally_enabled = enabled; }

Progress::Progress(std::string label, std::optional<std::uint64_t> total, std::string unit)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      active_(globally_enabled && terminal::stderr_is_tty()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::set_label(std::string label) { label_ = std::move(label); }

void Progress::advance(std::uint64_t n) {
    done_ += n;
    if (!active_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    draw(false);
}

void Progress::draw(bool final) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = seconds > 0 ? done_ / seconds : 0;
    std::string line = fmt::format("{}: {} {}", label_, done_, unit_);
    if (total_ && *total_ > 0) {
        double fraction = std::min(1.0, static_cast<double>(done_) / *total_);
        line += fmt::format(" of {} ({:.0f}%)", *total_, fraction * 100);
        if (!final && rate > 0 && done_ < *total_)
            line += fmt::format(", ETA {:.0f}s", (*total_ - done_) / rate);
    }
    line += fmt::format(", {:.0f} {}/s", rate, unit_);
    // A progress line that cannot be drawn is no reason to stop the work it reports on.
    (void)std::fprintf(stderr, "\r\033[K%s", line.c_str());
    (void)std::fflush(stderr);
    drawn_ = true;
}

void Progress::finish() {
    if (!active_) return;
    if (drawn_) {
        (void)std::fprintf(stderr, "\r\033[K");
        (void)std::fflush(stderr);
    }
    active_ = false;
}

}  // namespace spotctl
