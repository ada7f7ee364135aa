// What a user sees about the CLI is generated from one definition: completion scripts come
// from the CLI11 tree, and every option in `--help` must be documented in the man pages.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "support/cli_tree.hpp"
#include "support/harness.hpp"

using namespace spotctl::test;

namespace {

std::string bash_complete(const std::string& script, const std::string& line) {
    TempDir dir;
    auto file = dir.write("c.bash", script);
    auto r = run_shell(fmt::format(
        "bash -c 'source {}; read -ra COMP_WORDS <<< \"{}\"; [[ \"{}\" == *\" \" ]] && COMP_WORDS+=(\"\"); "
        "COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); _spotctl; echo \"${{COMPREPLY[*]}}\"'",
        file.string(), line, line));
    return r.out;
}

}  // namespace

TEST_CASE("bash completion completes commands, subcommands, options and their values", "[cli][completion]") {
    auto script = run_spotctl({"completion", "bash"});
    REQUIRE(script.exit_code == 0);
    REQUIRE(bash_complete(script.out, "spotctl mig") == "migrate\n");
    REQUIRE(bash_complete(script.out, "spotctl migrate u") == "up\n");
    REQUIRE(bash_complete(script.out, "spotctl migrate up --dr") == "--dry-run\n");
    REQUIRE(bash_complete(script.out, "spotctl --database-url migrate migrate st") == "status\n");  // the option value is skipped
    REQUIRE(bash_complete(script.out, "spotctl -o ") == "table json csv nagios prometheus pdf\n");
    REQUIRE(bash_complete(script.out, "spotctl seed load --on-conflict u") == "update\n");
    REQUIRE(bash_complete(script.out, "spotctl health r") == "redis\n");
    REQUIRE(bash_complete(script.out, "spotctl health --rep") == "--replica-url\n");
    REQUIRE(bash_complete(script.out, "spotctl report run rev") == "revenue\n");  // report names
    REQUIRE(bash_complete(script.out, "spotctl report export pay") == "payments\n");
    auto zsh = run_spotctl({"completion", "zsh"});
    REQUIRE(zsh.out.find("bashcompinit") != std::string::npos);
    auto fish = run_spotctl({"completion", "fish"});
    REQUIRE(fish.out.find("complete -c spotctl -n 'test (__spotctl_path) = \"migrate\"' -a 'up'") != std::string::npos);
    auto bad = run_spotctl({"completion", "tcsh"});
    REQUIRE(bad.exit_code == 64);
}

TEST_CASE("every option of every command is documented in its man page", "[cli][docs]") {
    auto tree = cli_tree();
    REQUIRE(tree.size() > 20);
    std::string root_page = slurp(std::string(SPOTCTL_SOURCE_DIR) + "/man/spotctl.1.scd");
    REQUIRE(!root_page.empty());
    for (const auto& [path, words] : tree) {
        std::string area = path.substr(0, path.find(' '));
        std::string page_path = fmt::format("{}/man/spotctl-{}.1.scd", SPOTCTL_SOURCE_DIR, area);
        std::string page = area.empty() ? root_page : slurp(page_path);
        if (page.empty()) page = root_page;  // small commands (locks, help, completion) live in spotctl(1)
        for (const auto& w : words) {
            if (w.rfind("--", 0) != 0 || w == "--help") continue;
            // A global option is documented once, in spotctl(1).
            std::regex mention("(^|[^A-Za-z0-9-])" + w + "([^A-Za-z0-9-]|$)");
            bool documented = std::regex_search(page, mention) || std::regex_search(root_page, mention);
            INFO("spotctl " << path << " " << w << " is not in " << (page.empty() ? "spotctl.1.scd" : page_path));
            CHECK(documented);
        }
    }
}

TEST_CASE("every man page renders without warnings", "[cli][docs]") {
    auto pages = run_shell(fmt::format("ls {}/man/*.scd", SPOTCTL_SOURCE_DIR));
    std::istringstream in(pages.out);
    std::string page;
    int count = 0;
    while (std::getline(in, page)) {
        INFO(page);
        auto r = run_shell(fmt::format("scdoc < '{}' | groff -ww -man -Tutf8 2>&1 >/dev/null; echo \"exit $?\"", page));
        REQUIRE(r.out == "exit 0\n");
        ++count;
    }
    REQUIRE(count >= 4);
}
