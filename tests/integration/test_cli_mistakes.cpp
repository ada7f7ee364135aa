// Mistakes on the command line: an unknown command, subcommand or option is named with the
// nearest real names ("did you mean ...?") and the usage line of the command actually typed;
// options of the command, like the global ones, are accepted before or after it.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/cli_tree.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

std::vector<std::string> words(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        auto space = path.find(' ', start);
        out.push_back(path.substr(start, space == std::string::npos ? std::string::npos : space - start));
        if (space == std::string::npos) break;
        start = space + 1;
    }
    return out;
}

// One letter dropped (the middle one), two neighbours swapped (the first two), one added (at the end).
std::vector<std::string> typos(const std::string& name) {
    std::string dropped = name, swapped = name, added = name + name.back();
    dropped.erase(name.size() / 2, 1);
    std::swap(swapped[0], swapped[1]);
    return {dropped, swapped, added};
}

}  // namespace

TEST_CASE("did you mean: every command name with one letter dropped, swapped or added", "[cli][mistakes]") {
    auto tree = cli_tree();
    std::size_t checked = 0;
    for (const auto& [path, children] : tree) {
        std::vector<std::string> subcommands;
        for (const auto& w : children)  // not a positional's fixed values (report names, shells)
            if (tree.count(path.empty() ? w : path + " " + w)) subcommands.push_back(w);
        // Typed as far as the group: `fraud review` takes the alert's id before its subcommand.
        std::vector<std::string> typed = words(path);
        if (path == "fraud review") typed.push_back("1");
        // `user sessions USER` takes any word as the person to look up, so a mistyped `revoke`
        // there is a person's name, not an unknown command (the lookup says no such user).
        if (path == "user sessions") continue;
        for (const auto& name : subcommands) {
            if (name.size() < 2) continue;
            for (const auto& typo : typos(name)) {
                if (typo == name || std::find(subcommands.begin(), subcommands.end(), typo) != subcommands.end()) continue;
                std::vector<std::string> args = typed;
                args.push_back(typo);
                auto r = run_spotctl(args);
                CAPTURE(path, name, typo, r.err);
                CHECK(r.exit_code == 64);
                CHECK(r.err.rfind(fmt::format("spotctl: error: unknown command '{}' for 'spotctl{}'\n", typo, path.empty() ? "" : " " + path), 0) == 0);
                CHECK(r.err.find("did you mean ") != std::string::npos);
                CHECK(r.err.find("'" + name + "'") != std::string::npos);
                CHECK(r.err.find(fmt::format("usage: spotctl{} [OPTIONS]", path.empty() ? "" : " " + path)) != std::string::npos);
                ++checked;
            }
        }
    }
    CHECK(checked > 150);  // the whole tree, not a part of it
}

TEST_CASE("did you mean: an unknown option names the nearest ones and the command typed", "[cli][mistakes]") {
    auto r = run_spotctl({"moderate", "approve", "0000000c-0000-4000-8000-000000000015", "--reson", "ok"});
    CHECK(r.exit_code == 64);
    CHECK(r.err == "spotctl: error: unknown option '--reson' for 'spotctl moderate approve'\n"
                   "spotctl: hint: did you mean '--reason'? usage: spotctl moderate approve [OPTIONS] [ID]\n");
    auto far = run_spotctl({"audit", "--colour"});
    CHECK(far.err == "spotctl: error: unknown option '--colour' for 'spotctl audit'\nspotctl: hint: usage: spotctl audit [OPTIONS]\n");
    auto missing = run_spotctl({"moderate", "show"});
    CHECK(missing.exit_code == 64);
    CHECK(missing.err.find("spotctl: hint: usage: spotctl moderate show [OPTIONS] ID\n") != std::string::npos);
    auto extra = run_spotctl({"locks", "now"});
    CHECK(extra.err.rfind("spotctl: error: unexpected argument 'now' for 'spotctl locks'\n", 0) == 0);
}

TEST_CASE("global options: --as and -o are accepted before or after the command", "[cli][mistakes]") {
    TempDatabase db("spotctl_template");
    db.conn().exec("INSERT INTO users (email, role) VALUES ('mod1@spot.example', 'moderator')");
    auto after = run_spotctl({"--database-url", db.url(), "moderate", "claim", "--next", "--as", "mod1@spot.example", "-o", "json"});
    auto before = run_spotctl({"--as", "mod1@spot.example", "-o", "json", "--database-url", db.url(), "moderate", "claim", "--next"});
    INFO(after.err << before.err);
    CHECK(after.exit_code == before.exit_code);
    CHECK(after.out == before.out);
    CHECK(after.err == before.err);
    auto nobody = run_spotctl({"--as=nobody@spot.example", "--database-url", db.url(), "moderate", "claim", "--next"});
    CHECK(nobody.exit_code == 77);
    CHECK(nobody.err.find("nobody@spot.example") != std::string::npos);
}
