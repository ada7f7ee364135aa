// spotctl moderate tui in a real terminal (tmux) against a real PostgreSQL: keys in, screen and
// database rows out. Every wait polls the screen or the database; none sleeps a fixed time.
#include <catch2/catch.hpp>
#include <chrono>
#include <clocale>
#include <csignal>
#include <cwchar>
#include <fmt/format.h>
#include <regex>
#include <sstream>
#include <thread>

#include "support/harness.hpp"
#include "support/tmux.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Staff mod1, mod2 (moderators); b001 contributes a charger (c001), a photo (d001) and a review
// (d002), each with an open item; b002 is reported by b001 in Hindi, the review's item is in Tamil.
const char* const fixture = R"SQL(
INSERT INTO users (id, email, name, role) VALUES
  ('00000000-0000-4000-8000-00000000a002', 'mod1@spot.example', 'Mod 1', 'moderator'),
  ('00000000-0000-4000-8000-00000000a003', 'mod2@spot.example', 'Mod 2', 'moderator'),
  ('00000000-0000-4000-8000-00000000b001', 'rider@example.com', 'Rider', 'user'),
  ('00000000-0000-4000-8000-00000000b002', 'troll@example.com', 'Troll', 'user');
INSERT INTO chargers (id, name, address, city, latitude, longitude, port_types, total_ports, available_ports, added_by) VALUES
  ('00000000-0000-4000-8000-00000000c001', 'Charger', '1 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, '00000000-0000-4000-8000-00000000b001'),
  ('00000000-0000-4000-8000-00000000c002', 'Other', '2 Road', 'Pune', 18.5, 73.8, '{CCS}', 2, 2, NULL);
INSERT INTO charger_photos (id, charger_id, uploader_id, storage_url) VALUES
  ('00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 's3://photos/1.jpg');
INSERT INTO charger_reviews (id, charger_id, user_id, rating, body) VALUES
  ('00000000-0000-4000-8000-00000000d002', '00000000-0000-4000-8000-00000000c002', '00000000-0000-4000-8000-00000000b001', 4,
   'நல்ல சார்ஜர், வேகமாக வேலை செய்கிறது');
INSERT INTO moderation_items (id, subject_type, subject_id, reason, reporter_id, created_at) VALUES
  ('00000000-0000-4000-8000-00000000f001', 'charger', '00000000-0000-4000-8000-00000000c001', 'new charger', NULL, now() - interval '5 days'),
  ('00000000-0000-4000-8000-00000000f002', 'photo', '00000000-0000-4000-8000-00000000d001', 'new photo', NULL, now() - interval '4 days'),
  ('00000000-0000-4000-8000-00000000f003', 'review', '00000000-0000-4000-8000-00000000d002',
   'தமிழ் விமர்சனம்: சார்ஜர் நிலையத்தில் நீண்ட வரிசை பற்றிய புகார் மிக நீளமான விளக்கம்', NULL, now() - interval '3 days'),
  ('00000000-0000-4000-8000-00000000f005', 'user', '00000000-0000-4000-8000-00000000b002', 'पुणे में गाली भरी समीक्षाएँ',
   '00000000-0000-4000-8000-00000000b001', now() - interval '1 day');
)SQL";

std::string item(int n) { return fmt::format("00000000-0000-4000-8000-00000000f00{}", n); }

std::vector<std::string> tui_args(const TempDatabase& db, const std::string& actor, std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"),
                                  "moderate", "tui", "--as", actor};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

std::string status_of(TempDatabase& db, int n) {
    return db.scalar("SELECT concat_ws(',', m.status, u.email) FROM moderation_items m LEFT JOIN users u "
                     "ON u.id = coalesce(m.claimed_by, m.decided_by) WHERE m.id = $1::uuid",
                     pg::params(item(n)));
}

template <typename F>
bool eventually(F done, int seconds = 15) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// The display columns of a UTF-8 line (what a terminal gives it).
int columns(const std::string& line) {
    std::setlocale(LC_CTYPE, "C.UTF-8");
    std::wstring w(line.size() + 1, L'\0');
    std::size_t n = std::mbstowcs(w.data(), line.c_str(), w.size());
    REQUIRE(n != static_cast<std::size_t>(-1));
    w.resize(n);
    return ::wcswidth(w.c_str(), w.size());
}

}  // namespace

TEST_CASE("moderate tui refuses to start without a terminal, exit 64, pointing at the plain commands", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto r = run_spotctl({"--database-url", db.url(), "moderate", "tui", "--as", "mod1@spot.example"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("needs a terminal") != std::string::npos);
    CHECK(r.err.find("moderate approve") != std::string::npos);
}

TEST_CASE("moderate tui: Enter claims, a approves with a reason, and the item, its subject and its audit row show it",
          "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"));
    REQUIRE(t.wait_for("new charger"));
    t.keys({"Enter"});
    REQUIRE(t.wait_for("claimed 00000000-0000-4000-8000-00000000f001"));
    CHECK(status_of(db, 1) == "claimed,mod1@spot.example");
    // The item in context: the subject's fields and its owner's record.
    CHECK(t.wait_for("owner: rider@example.com"));
    t.keys({"a"});
    REQUIRE(t.wait_for("approve 00000000, reason"));
    t.type("plug and sign match");
    t.keys({"Enter"});
    REQUIRE(t.wait_for("approved 00000000-0000-4000-8000-00000000f001"));
    CHECK(status_of(db, 1) == "approved,mod1@spot.example");
    CHECK(db.scalar("SELECT status FROM chargers WHERE id = '00000000-0000-4000-8000-00000000c001'") == "active");
    CHECK(db.scalar("SELECT concat_ws('|', action, actor_email, reason) FROM audit_log WHERE subject_id = $1 ORDER BY id DESC LIMIT 1",
                    pg::params(item(1))) == "moderation.approve|mod1@spot.example|plug and sign match");
    CHECK(db.scalar("SELECT count(*) FROM coin_transactions WHERE user_id = '00000000-0000-4000-8000-00000000b001'") == "1");
    // The decided item leaves the list.
    CHECK(t.wait_until_gone("new charger"));
    t.keys({"q"});
    CHECK(t.exit_code() == 0);
}

TEST_CASE("two moderate tuis on one queue never hold one item, and an item decided in one leaves the other",
          "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal one(tui_args(db, "mod1@spot.example"));
    TmuxTerminal two(tui_args(db, "mod2@spot.example"));
    REQUIRE(one.wait_for("new charger"));
    REQUIRE(two.wait_for("new charger"));
    one.keys({"Enter"});
    REQUIRE(one.wait_for("claimed 00000000-0000-4000-8000-00000000f001"));
    two.keys({"Enter"});
    CHECK(two.wait_for("is claimed by mod1@spot.example until"));
    CHECK(status_of(db, 1) == "claimed,mod1@spot.example");
    // The other's claim shows in the list; the second moderator takes the next item instead.
    CHECK(two.wait_for("mod1"));
    two.keys({"j", "Enter"});
    REQUIRE(two.wait_for("claimed 00000000-0000-4000-8000-00000000f002"));
    CHECK(status_of(db, 2) == "claimed,mod2@spot.example");
    CHECK(db.scalar("SELECT count(DISTINCT claimed_by) FROM moderation_items WHERE status = 'claimed'") == "2");
    // Deciding in one terminal: the other's list loses the item within a few seconds.
    one.keys({"a"});
    REQUIRE(one.wait_for("approve 00000000, reason"));
    one.type("fine");
    one.keys({"Enter"});
    REQUIRE(one.wait_for("approved 00000000-0000-4000-8000-00000000f001"));
    CHECK(two.wait_until_gone("new charger", 10));
}

TEST_CASE("moderate tui filters by text (Hindi too) and by type, and draws Hindi and Tamil within their columns",
          "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"), {}, 100, 30);
    REQUIRE(t.wait_for("new charger"));
    REQUIRE(t.wait_for("पुणे"));
    // The long Tamil reason is cut with an ellipsis, and every line keeps the divider in the
    // same display column: no wide or combining character pushed it along.
    std::string screen = t.screen();
    CHECK(screen.find("தமிழ்") != std::string::npos);
    CHECK(screen.find("\u2026") != std::string::npos);
    std::istringstream lines(screen);
    std::string line;
    int checked = 0;
    while (std::getline(lines, line)) {
        auto bar = line.find("\u2502");
        if (bar == std::string::npos) continue;
        CHECK(columns(line.substr(0, bar)) == 45);
        ++checked;
    }
    CHECK(checked >= 20);

    t.keys({"/"});
    t.type("पुणे");
    t.keys({"Enter"});
    REQUIRE(t.wait_for("1 items"));
    CHECK(t.screen().find("new charger") == std::string::npos);
    t.keys({"Escape"});  // Esc outside a prompt does nothing; clearing is / then Esc
    t.keys({"/", "Escape"});
    REQUIRE(t.wait_for("4 items"));
    t.keys({"t", "t"});  // all -> charger -> photo
    REQUIRE(t.wait_for("type: photo"));
    CHECK(t.wait_for("1 items"));
    CHECK(t.screen().find("new photo") != std::string::npos);
    CHECK(t.screen().find("new charger") == std::string::npos);
}

TEST_CASE("moderate tui rejects the marked items together after a confirmation that shows their count", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"));
    REQUIRE(t.wait_for("new charger"));
    t.keys({"Space", "Space"});  // marks the charger and the photo
    REQUIRE(t.wait_for("2 marked"));
    t.keys({"R"});
    REQUIRE(t.wait_for("reject 2 marked items, reason"));
    t.type("duplicate listing");
    t.keys({"Enter"});
    REQUIRE(t.wait_for("reject 2 marked items? (y/n)"));
    CHECK(status_of(db, 1) == "open");  // nothing before the confirmation
    t.keys({"y"});
    REQUIRE(t.wait_for("rejected 2 of 2 items"));
    CHECK(status_of(db, 1) == "rejected,mod1@spot.example");
    CHECK(status_of(db, 2) == "rejected,mod1@spot.example");
    CHECK(status_of(db, 3) == "open");
    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'moderation.reject' AND reason = 'duplicate listing'") == "2");
    CHECK(db.scalar("SELECT string_agg(status, ',') FROM charger_photos") == "rejected");
}

TEST_CASE("moderate tui: u undoes the last decision through an audited path, reversing its coins in the ledger",
          "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"));
    REQUIRE(t.wait_for("new photo"));
    t.keys({"j", "a"});
    REQUIRE(t.wait_for("approve 00000000, reason"));
    t.type("clear photo");
    t.keys({"Enter"});
    REQUIRE(t.wait_for("approved 00000000-0000-4000-8000-00000000f002"));
    CHECK(db.scalar("SELECT coin_balance FROM users WHERE email = 'rider@example.com'") != "0");
    t.keys({"u"});
    REQUIRE(t.wait_for("undid approve of 00000000-0000-4000-8000-00000000f002"));
    CHECK(status_of(db, 2) == "claimed,mod1@spot.example");
    CHECK(db.scalar("SELECT status FROM charger_photos") == "pending");
    CHECK(db.scalar("SELECT coin_balance FROM users WHERE email = 'rider@example.com'") == "0");
    CHECK(db.scalar("SELECT count(*) FROM coin_transactions WHERE action = 'reversal' AND reverses_id IS NOT NULL") == "1");
    CHECK(db.scalar("SELECT concat_ws('|', actor_email, reason) FROM audit_log WHERE action = 'moderation.undo' AND subject_id = $1",
                    pg::params(item(2))) == "mod1@spot.example|undo of approve");
    // The item is back in the list, claimed by this moderator, and can be decided again.
    CHECK(t.wait_for("new photo"));
    t.keys({"u"});
    CHECK(t.wait_for("nothing to undo"));
}

TEST_CASE("moderate undo refuses a decision older than the window and one made by someone else", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    auto base = std::vector<std::string>{"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS")};
    auto run = [&](std::vector<std::string> a) {
        a.insert(a.begin(), base.begin(), base.end());
        return run_spotctl(a);
    };
    REQUIRE(run({"moderate", "approve", item(1), "--reason", "ok", "--as", "mod1@spot.example"}).exit_code == 0);
    auto other = run({"moderate", "undo", item(1), "--as", "mod2@spot.example"});
    CHECK(other.exit_code == 77);
    CHECK(other.err.find("only they may undo it") != std::string::npos);
    db.conn().exec("UPDATE moderation_items SET decided_at = now() - interval '61 seconds' WHERE id = $1::uuid", pg::params(item(1)));
    auto late = run({"moderate", "undo", item(1), "--as", "mod1@spot.example"});
    CHECK(late.exit_code == 65);
    CHECK(late.err.find("can be undone only within") != std::string::npos);
    CHECK(status_of(db, 1) == "approved,mod1@spot.example");
    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'moderation.undo'") == "0");
}

TEST_CASE("moderate tui follows a resize in the middle of an item and decides it afterwards", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"), {}, 120, 30);
    REQUIRE(t.wait_for("new charger"));
    t.keys({"Enter"});
    REQUIRE(t.wait_for("claimed 00000000-0000-4000-8000-00000000f001"));
    t.resize(80, 24);
    REQUIRE(eventually([&] {
        std::string s = t.screen();
        std::istringstream in(s);
        std::string line;
        int n = 0, widest = 0;
        while (std::getline(in, line)) ++n, widest = std::max(widest, columns(line));
        // The divider moved to 45% of 80 columns, and nothing is wider than the terminal.
        return n == 24 && widest <= 80 && s.find("spotctl moderate tui") != std::string::npos &&
               columns(s.substr(s.find('\n') + 1).substr(0, s.substr(s.find('\n') + 1).find("\u2502"))) == 36;
    }));
    t.resize(30, 8);  // too small: says so, and keeps the claim
    REQUIRE(t.wait_for("needs 40x10"));
    t.resize(100, 30);
    REQUIRE(t.wait_for("new charger"));
    t.keys({"a"});
    REQUIRE(t.wait_for("approve 00000000, reason"));
    t.type("ok");
    t.keys({"Enter"});
    REQUIRE(t.wait_for("approved 00000000-0000-4000-8000-00000000f001"));
    CHECK(status_of(db, 1) == "approved,mod1@spot.example");
}

TEST_CASE("quitting moderate tui releases its claims, with their audit rows", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example"));
    REQUIRE(t.wait_for("new charger"));
    t.keys({"Enter"});
    REQUIRE(t.wait_for("claimed 00000000-0000-4000-8000-00000000f001"));
    t.keys({"j", "Enter"});
    REQUIRE(t.wait_for("claimed 00000000-0000-4000-8000-00000000f002"));
    CHECK(db.scalar("SELECT count(*) FROM moderation_items WHERE status = 'claimed'") == "2");
    t.keys({"q"});
    CHECK(t.exit_code() == 0);
    CHECK(db.scalar("SELECT count(*) FROM moderation_items WHERE status = 'claimed'") == "0");
    CHECK(db.scalar("SELECT count(*) FROM audit_log WHERE action = 'moderation.release' AND actor_email = 'mod1@spot.example'") == "2");
}

TEST_CASE("moderate tui renews its claims while it runs, and a killed one's claims lapse for others to take",
          "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TmuxTerminal t(tui_args(db, "mod1@spot.example", {"--claim-for", "2s"}));
    REQUIRE(t.wait_for("new charger"));
    t.keys({"Enter"});
    REQUIRE(t.wait_for("claimed 00000000-0000-4000-8000-00000000f001"));
    std::string first = db.scalar("SELECT claimed_until FROM moderation_items WHERE id = $1::uuid", pg::params(item(1)));
    // Renewed: the lease moves on, and never lapses while the terminal runs.
    REQUIRE(eventually([&] {
        return db.scalar("SELECT claimed_until > $2::timestamptz + interval '1 second' FROM moderation_items WHERE id = $1::uuid",
                         pg::params(item(1), first)) == "t";
    }));
    CHECK(db.scalar("SELECT claimed_until > now() FROM moderation_items WHERE id = $1::uuid", pg::params(item(1))) == "t");

    int pid = t.spotctl_pid();
    REQUIRE(pid > 0);
    REQUIRE(::kill(pid, SIGKILL) == 0);
    CHECK(t.exit_code() == 128 + SIGKILL);
    // Nobody released it: it lapses with its lease, then another moderator takes it.
    CHECK(status_of(db, 1) == "claimed,mod1@spot.example");
    REQUIRE(eventually([&] {
        return db.scalar("SELECT claimed_until <= now() FROM moderation_items WHERE id = $1::uuid", pg::params(item(1))) == "t";
    }));
    auto r = run_spotctl({"--database-url", db.url(), "-o", "csv", "moderate", "claim", "--next", "--as", "mod2@spot.example"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(item(1)) != std::string::npos);
    CHECK(status_of(db, 1) == "claimed,mod2@spot.example");
}

TEST_CASE("moderate tui draws in colour on a terminal and without colour under NO_COLOR", "[moderate][tui]") {
    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    // SGR sequences setting a foreground colour (30-37), or reverse video (7); 39 is the default colour.
    auto colour_codes = [](const std::string& s) { return std::regex_search(s, std::regex("\x1b\\[([0-9]+;)*3[0-7](;[0-9]+)*m")); };
    auto reverse = [](const std::string& s) { return std::regex_search(s, std::regex("\x1b\\[([0-9]+;)*7(;[0-9]+)*m")); };
    TmuxTerminal coloured(tui_args(db, "mod1@spot.example"), {{"TERM", "screen-256color"}});
    REQUIRE(coloured.wait_for("new charger"));
    CHECK(colour_codes(coloured.screen(true)));
    TmuxTerminal plain(tui_args(db, "mod1@spot.example"), {{"TERM", "screen-256color"}, {"NO_COLOR", "1"}});
    REQUIRE(plain.wait_for("new charger"));
    std::string s = plain.screen(true);
    CHECK_FALSE(colour_codes(s));
    CHECK(reverse(s));  // the selection is still shown, in reverse
}

TEST_CASE("the binary links no curses library, without its module moderate tui exits 69 naming it, and on a terminal curses cannot drive it 64 naming TERM",
          "[moderate][tui]") {
    auto ldd = run_shell(fmt::format("ldd '{}'", SPOTCTL_BINARY));
    REQUIRE(ldd.out.find("libpq.so") != std::string::npos);  // the listing is real
    CHECK(ldd.out.find("curses") == std::string::npos);
    CHECK(ldd.out.find("tinfo") == std::string::npos);

    TempDatabase db("spotctl_template");
    db.conn().exec(fixture);
    TempDir empty;
    TmuxTerminal t(tui_args(db, "mod1@spot.example"), {{"SPOTCTL_MODULE_DIR", empty.path().string()}});
    CHECK(t.exit_code() == 69);
    CHECK(t.wait_for("the terminal interface is unavailable: no spotctl-tui.so in"));

    // A TERM with no terminfo entry: curses' newterm fails, and spotctl says so instead of exiting inside curses.
    TmuxTerminal unknown(tui_args(db, "mod1@spot.example"), {{"TERM", "spotctl-no-such-terminal"}});
    CHECK(unknown.exit_code() == 64);
    CHECK(unknown.wait_for("cannot use this terminal: curses cannot drive TERM=spotctl-no-such-terminal"));
}
