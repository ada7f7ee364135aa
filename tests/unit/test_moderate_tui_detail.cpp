// What moderate tui shows beside an item, built from moderate show's document: the order of the
// context, a profile change as old -> new, long lists cut short, and the list's ages.
#include <catch2/catch.hpp>

#include "commands/moderate/tui_workbench.hpp"

using namespace spotctl::moderate;

namespace {

std::size_t index_of(const std::vector<std::string>& lines, const std::string& start) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].rfind(start, 0) == 0) return i;
    FAIL("no line starts with '" << start << "'");
    return 0;
}

}  // namespace

TEST_CASE("the detail shows the owner and the reporter before the subject, and a profile change as old to new", "[tui][unit]") {
    std::string doc = R"({"item": {"subject_type": "profile_change", "subject_id": "s1", "status": "claimed", "reason": "नाम बदलना",
        "claimed_by": "mod1@spot.example", "claimed_until": "2026-12-07T15:00:00Z"},
      "reporter": {"email": "rider@example.com", "status": "active"},
      "subject": {"field": "name", "old_value": "Rider", "new_value": "Rider R.", "tags": [1, 2, 3, 4, 5, 6, 7]},
      "history": [{"at": "2026-12-07T14:00:00Z", "action": "moderation.claim"}]})";
    ItemContext c;
    c.owner_email = "owner@example.com";
    c.owner_status = "active";
    c.risk_score = "0.8100";
    c.open_alerts = 2;
    c.owner_rejected = 3;
    c.reports_upheld = 4;
    c.reports_decided = 5;
    auto lines = detail_lines(doc, c);
    CHECK(lines[0] == "profile_change s1  (claimed)");
    CHECK(lines[1] == "reason: नाम बदलना");
    CHECK(lines[2] == "claimed by mod1@spot.example until 2026-12-07T15:00:00Z");
    auto owner = index_of(lines, "owner: owner@example.com (active), fraud risk 0.8100, 2 open fraud alerts");
    CHECK(lines[owner + 1] == "  earlier items: 0 approved, 3 rejected, 0 escalated");
    auto reporter = index_of(lines, "reporter: rider@example.com (active), 4 of 5 decided reports upheld");
    auto change = index_of(lines, "change: name Rider \u2192 Rider R.");
    CHECK(owner < reporter);
    CHECK(reporter < change);
    // Seven tags: five shown, then how many more.
    auto tags = index_of(lines, "  tags:");
    CHECK(lines[tags + 5] == "    - 5");
    CHECK(lines[tags + 6] == "    ... 2 more");
    CHECK(lines[index_of(lines, "history:") + 1] == "  - at=2026-12-07T14:00:00Z action=moderation.claim");
}

TEST_CASE("an item queued by the system and a subject since purged say so", "[tui][unit]") {
    auto lines = detail_lines(R"({"item": {"subject_type": "photo", "subject_id": "p", "status": "open", "reason": "new photo",
        "claimed_by": null}, "reporter": null, "subject": null, "history": []})",
                              ItemContext{});
    index_of(lines, "reporter: the system");
    index_of(lines, "subject: (no longer exists)");
    for (const auto& l : lines) CHECK(l.rfind("owner:", 0) == std::string::npos);
}

TEST_CASE("ages in the queue fit a few columns", "[tui][unit]") {
    CHECK(short_age(-3) == "0s");
    CHECK(short_age(59) == "59s");
    CHECK(short_age(60) == "1m");
    CHECK(short_age(3599) == "59m");
    CHECK(short_age(7200) == "2h");
    CHECK(short_age(86400 * 5 + 10) == "5d");
}
