#include "support/cli_tree.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "support/harness.hpp"

namespace spotctl::test {

std::map<std::string, std::vector<std::string>> cli_tree() {
    auto r = run_spotctl({"completion", "bash"});
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::vector<std::string>> tree;
    // `        "migrate up") words="..." ;;`
    static const std::regex line(R"re(^\s+"([a-z -]*)"\) words="([^"]*)" ;;$)re");
    std::istringstream in(r.out);
    std::string l;
    std::smatch m;
    while (std::getline(in, l))
        if (std::regex_match(l, m, line)) {
            std::istringstream words(m[2].str());
            std::string w;
            while (words >> w) tree[m[1].str()].push_back(w);
        }
    return tree;
}

}  // namespace spotctl::test
