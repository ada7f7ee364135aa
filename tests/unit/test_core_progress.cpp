// core/progress draws only when stderr is a terminal: here stderr is, for the length of each
// check, the slave side of a pseudo-terminal, and what was drawn is read from its master side.
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <pty.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "core/progress.hpp"

using spotctl::Progress;

namespace {

// Points stderr at a new pseudo-terminal until destroyed; drawn() is what reached it so far.
class StderrOnTerminal {
public:
    StderrOnTerminal() {
        REQUIRE(::openpty(&master_, &slave_, nullptr, nullptr, nullptr) == 0);
        REQUIRE(::fcntl(master_, F_SETFL, O_NONBLOCK) == 0);
        std::fflush(stderr);
        saved_ = ::dup(STDERR_FILENO);
        REQUIRE(::dup2(slave_, STDERR_FILENO) == STDERR_FILENO);
    }
    ~StderrOnTerminal() {
        std::fflush(stderr);
        ::dup2(saved_, STDERR_FILENO);
        ::close(saved_);
        ::close(slave_);
        ::close(master_);
    }
    StderrOnTerminal(const StderrOnTerminal&) = delete;
    StderrOnTerminal& operator=(const StderrOnTerminal&) = delete;

    std::string drawn() {
        std::string text;
        char buf[512];
        for (;;) {
            ssize_t n = ::read(master_, buf, sizeof buf);
            if (n > 0) {
                text.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            return text;  // EAGAIN: all that was written has been read
        }
    }

private:
    int master_ = -1, slave_ = -1, saved_ = -1;
};

// Progress redraws at most every 100 ms since it started or last drew: this passes one interval.
void pass_redraw_interval() { std::this_thread::sleep_for(std::chrono::milliseconds(120)); }

}  // namespace

TEST_CASE("progress on a terminal draws its line with a percentage and ETA and clears it when done", "[progress]") {
    StderrOnTerminal terminal;
    {
        Progress p("loading users", 10, "rows");
        pass_redraw_interval();
        p.advance(4);
        std::string line = terminal.drawn();
        INFO(line);
        CHECK(line.rfind("\r\033[Kloading users: 4 rows of 10 (40%), ETA ", 0) == 0);
        CHECK(line.find("s, ") != std::string::npos);
        CHECK(line.find(" rows/s") != std::string::npos);

        p.set_label("loading spots");
        pass_redraw_interval();
        p.advance(6);
        line = terminal.drawn();
        INFO(line);
        // Done: no ETA.
        CHECK(line.rfind("\r\033[Kloading spots: 10 rows of 10 (100%), ", 0) == 0);
        CHECK(line.find("ETA") == std::string::npos);
        CHECK(p.count() == 10);

        p.finish();
        CHECK(terminal.drawn() == "\r\033[K");
        p.finish();  // a second finish (and the destructor's) draws nothing more
    }
    CHECK(terminal.drawn().empty());

    // Without a total: a count and a rate only.
    {
        Progress p("scanning", std::nullopt, "keys");
        pass_redraw_interval();
        p.advance(3);
        std::string line = terminal.drawn();
        INFO(line);
        CHECK(line.rfind("\r\033[Kscanning: 3 keys, ", 0) == 0);
        CHECK(line.find(" keys/s") != std::string::npos);
    }
    CHECK(terminal.drawn() == "\r\033[K");  // cleared by the destructor
}

TEST_CASE("progress draws nothing on a terminal when turned off by --quiet, nor clears a line it never drew", "[progress]") {
    {
        StderrOnTerminal terminal;
        Progress::set_enabled(false);
        {
            Progress p("loading", 5);
            pass_redraw_interval();
            p.advance(5);
            CHECK(p.count() == 5);
        }
        Progress::set_enabled(true);
        CHECK(terminal.drawn().empty());

        // Nothing advanced since it started: finishing has no line to clear.
        { Progress idle("idle", 5); }
        CHECK(terminal.drawn().empty());
    }
}
