// Output meant for a person: tables cut to the terminal's width (and never cut in a pipe).
#include <catch2/catch.hpp>
#include <sstream>

#include "exporters/table_writer.hpp"
#include "support/terminal_width.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// The widest line of what a terminal showed, past its (bold, escape-coded) header line.
std::size_t widest_row(const std::string& shown) {
    std::istringstream lines(shown);
    std::string line;
    std::getline(lines, line);
    std::size_t widest = 0;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        widest = std::max(widest, exporters::display_width(line));
    }
    return widest;
}

}  // namespace

TEST_CASE("a table on a terminal fits its width, --wide and a pipe show every character", "[cli][output]") {
    auto narrow = run_spotctl_on_terminal_of_width({"rules"}, 70);
    REQUIRE(narrow.exit_code == 0);
    CHECK(widest_row(narrow.out) <= 70);
    CHECK(narrow.out.find("…") != std::string::npos);
    CHECK(narrow.out.find("reward") != std::string::npos);

    auto wide = run_spotctl_on_terminal_of_width({"rules", "--wide"}, 70);
    REQUIRE(wide.exit_code == 0);
    CHECK(widest_row(wide.out) > 70);
    CHECK(wide.out.find("…") == std::string::npos);

    auto piped = run_spotctl({"rules"}, {{"COLUMNS", "70"}});
    REQUIRE(piped.exit_code == 0);
    CHECK(piped.out.find("…") == std::string::npos);
    CHECK(widest_row(piped.out) == widest_row(wide.out));
}

TEST_CASE("output formats: -o offers only those the command writes, and --help lists them", "[cli][output]") {
    auto pdf = run_spotctl({"rules", "-o", "pdf"});
    CHECK(pdf.exit_code == 64);
    CHECK(pdf.err.find("spotctl rules cannot write -o pdf") != std::string::npos);
    CHECK(pdf.err.find("it writes -o table, json, csv") != std::string::npos);
    CHECK(pdf.out.empty());
    // Refused before connecting: no database is named, none is needed to say so.
    auto csv = run_spotctl({"user", "show", "someone@example.com", "-o", "csv", "--database-url", "host=/nonexistent"});
    CHECK(csv.exit_code == 64);
    CHECK(csv.err.find("it writes -o table, json\n") != std::string::npos);
    auto nagios = run_spotctl({"-o", "nagios", "report", "run", "revenue"});
    CHECK(nagios.exit_code == 64);
    CHECK(nagios.err.find("it writes -o table, json, csv, pdf") != std::string::npos);

    auto help = run_spotctl({"report", "run", "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Output formats (-o): table, json, csv, pdf") != std::string::npos);
    CHECK(run_spotctl({"health", "--help"}).out.find("Output formats (-o): table, json, nagios, prometheus") != std::string::npos);
}
