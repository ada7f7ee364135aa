// Every spotctl command line the project documents runs: the README, the man pages' EXAMPLES, the
// shipped crontab and systemd units and the examples of each --help are collected and run, block
// by block, against the demo data set in a throwaway sandbox. An example that cannot run there is
// marked in its source (`# illustrative: REASON`) and counted; any other that fails, fails here.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>

#include "support/cli_tree.hpp"
#include "support/documented_commands.hpp"
#include "support/harness.hpp"
#include "support/private_redis.hpp"

using namespace spotctl::test;
namespace fs = std::filesystem;

namespace {

const std::string source_dir = SPOTCTL_SOURCE_DIR;

// The demo data set as `scripts/demo` leaves it: migrated, `seed load`, and a fraud scan over the
// data's dates, so that alert ids in the examples exist. Each block gets a copy.
class DemoData {
public:
    DemoData() {
        auto url = db_.url();
        auto load = run_spotctl({"--database-url", url, "seed", "load", "--dir", source_dir + "/seeds"});
        INFO(load.err);
        REQUIRE(load.exit_code == 0);
        auto scan = run_spotctl({"--database-url", url, "fraud", "scan", "--from", "2026-10-01", "--to", "2026-11-20"});
        INFO(scan.err);
        REQUIRE(scan.exit_code == 0);
    }
    const std::string& name() const { return db_.name(); }

private:
    TempDatabase db_{"spotctl_template"};
};

struct Tally {
    int run = 0;
    std::vector<std::string> illustrative;  // "where: reason"
    std::vector<std::string> failures;
};

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    return w;
}

std::string first_line(const std::string& text) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!words(l).empty()) return l;
    return "";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::string trimmed_copy(const std::string& s) {
    auto w = words(s);
    std::string out;
    for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
    return out;
}

// The first output line the document shows, if it shows one to compare with.
std::optional<std::string> shown_line(const DocStep& step) {
    for (const auto& l : step.shown)
        if (!words(l).empty()) return trimmed_copy(l) == "..." ? std::nullopt : std::optional<std::string>(l);
    return std::nullopt;
}

bool shows_error(const DocStep& step) {
    for (const auto& l : step.shown)
        if (starts_with(l, "spotctl: error:")) return true;
    return false;
}

// Whether the output has the shape the document shows (values differ on the demo data): the same
// columns for a header line, else the same first word; a `spotctl:` line on stderr.
std::optional<std::string> shape_problem(const std::string& shown, const RunResult& r) {
    if (starts_with(shown, "spotctl: ")) {
        auto lead = shown.substr(0, shown.find(' ', 9));
        if (r.err.find(lead) == std::string::npos) return fmt::format("stderr has no line starting '{}'", lead);
        return std::nullopt;
    }
    static const std::regex header(R"(^\s*[a-z_]+(\s+[a-z_]+)+\s*$)");
    // CSV quoting is not shape: `"id","at"` and `id,at` are the same header.
    auto unquoted = [](std::string line) {
        line.erase(std::remove(line.begin(), line.end(), '"'), line.end());
        return words(line);
    };
    auto expected = unquoted(shown), actual = unquoted(first_line(r.out));
    bool same = std::regex_match(shown, header) ? expected == actual : !actual.empty() && actual[0] == expected[0];
    if (same) return std::nullopt;
    return fmt::format("the document shows '{}' first, the output starts '{}'", shown, first_line(r.out));
}

// Paths of the production layout (/var/lib/node_exporter, /srv/reports) move into the sandbox.
std::string sandboxed_paths(const std::string& command, const fs::path& root) {
    std::string out = std::regex_replace(command, std::regex(R"((^|[\s='"])/(var|srv)/)"), "$1" + root.string() + "/$2/");
    static const std::regex path(R"(/(var|srv)/[^\s'"]*)");
    for (std::sregex_iterator it(out.begin(), out.end(), path), end; it != end; ++it)
        fs::create_directories(fs::path(root.string() + it->str()).parent_path());
    return out;
}

// One block's world: a copy of the demo database (an empty one when the block starts by migrating,
// as a newcomer does), an empty Redis database, and a working directory with the project's
// migrations/, seeds/ and tests/fixtures/ where relative paths in the examples land.
class Sandbox {
public:
    Sandbox(const DemoData& demo, const PrivateRedis& redis, bool empty_database)
        : db_(empty_database ? "template0" : demo.name()), redis_(redis) {
        redis_.cli("FLUSHALL");
        redis_.fill("chargers:list:", 40);  // something for the cache examples to find
        fs::create_directories(dir_ / "work");
        fs::copy(source_dir + "/migrations", dir_ / "work/migrations", fs::copy_options::recursive);
        fs::copy(source_dir + "/seeds", dir_ / "work/seeds", fs::copy_options::recursive);
        // The other tools' histories that the migrate examples validate, as in a checkout.
        fs::create_directories(dir_ / "work/tests");
        fs::copy(source_dir + "/tests/fixtures", dir_ / "work/tests/fixtures", fs::copy_options::recursive);
    }

    RunResult run(const DocBlock& block, const std::string& command) {
        auto script = dir_.write("step.sh",
                                 fmt::format("unset SPOTCTL_CONFIG SPOTCTL_OUTPUT PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD\n"
                                             "export DATABASE_URL='{}' REDIS_URL='{}' SPOTCTL_ACTOR=admin@spot.example\n"
                                             "export HOME='{}' XDG_CONFIG_HOME='{}/.config' PATH='{}':\"$PATH\"\n"
                                             "cd '{}'\n{}\n",
                                             db_.url(), redis_.url(), dir_.path().string(), dir_.path().string(),
                                             fs::path(SPOTCTL_BINARY).parent_path().string(), (dir_ / "work").string(),
                                             sandboxed_paths(command, dir_.path())));
        auto shell = run_shell(fmt::format("timeout 300 {} '{}' </dev/null >'{}' 2>'{}'", block.shell, script.string(),
                                           (dir_ / "out").string(), (dir_ / "err").string()));
        RunResult r;
        r.exit_code = shell.exit_code;
        r.out = slurp(dir_ / "out");
        r.err = slurp(dir_ / "err");
        return r;
    }

    fs::path work() const { return dir_ / "work"; }

private:
    TempDatabase db_;
    const PrivateRedis& redis_;
    TempDir dir_;
};

bool starts_by_migrating(const DocBlock& block) {
    for (const auto& s : block.steps)
        if (runs_spotctl(s.command) && !s.illustrative) return starts_with(s.command, "spotctl migrate up");
    return false;
}

void run_block(const DocBlock& block, const DemoData& demo, const PrivateRedis& redis, Tally& tally) {
    bool any = false;
    for (const auto& s : block.steps) any = any || runs_spotctl(s.command);
    if (!any) return;
    Sandbox box(demo, redis, starts_by_migrating(block));
    int last_exit = 0;
    for (const auto& step : block.steps) {
        auto where = fmt::format("{}:{}", block.source, step.line);
        if (step.illustrative) {
            tally.illustrative.push_back(fmt::format("{}: {}", where, *step.illustrative));
            continue;
        }
        if (step.command == "echo $?") {  // the document shows the previous command's exit code
            if (!step.shown.empty() && std::to_string(last_exit) != trimmed_copy(step.shown[0]))
                tally.failures.push_back(fmt::format("{}: the document shows exit {}, the command exited {}", where,
                                                     trimmed_copy(step.shown[0]), last_exit));
            continue;
        }
        // `$ cat FILE` with its content shows a file the next example reads: write it.
        if (starts_with(step.command, "cat ") && !step.shown.empty() && !fs::exists(box.work() / step.command.substr(4))) {
            std::ofstream file(box.work() / step.command.substr(4));
            for (const auto& l : step.shown) file << l << "\n";
            continue;
        }
        if (!runs_spotctl(step.command)) continue;  // $EDITOR, export ...: context for the reader
        auto r = box.run(block, step.command);
        ++tally.run;
        last_exit = r.exit_code;
        bool exit_ok = shows_error(step) ? r.exit_code != 0 : block.success_exits.count(r.exit_code) > 0;
        std::optional<std::string> problem;
        if (!exit_ok)
            problem = shows_error(step) ? "the document shows an error, the command succeeded" : fmt::format("exit {}", r.exit_code);
        else if (auto shown = shown_line(step))
            problem = shape_problem(*shown, r);
        if (problem)
            tally.failures.push_back(fmt::format("{}: `{}`: {}\n    stderr: {}", where, step.command, *problem, first_line(r.err)));
    }
}

// Runs every block, prints the counts, and fails listing each example that did not run as documented.
void check_all(const std::string& what, const std::vector<DocBlock>& blocks, int at_least) {
    DemoData demo;
    PrivateRedis redis;
    Tally tally;
    for (const auto& b : blocks) run_block(b, demo, redis, tally);
    std::cout << fmt::format("{}: {} documented command line(s) run, {} illustrative\n", what, tally.run, tally.illustrative.size());
    for (const auto& i : tally.illustrative) std::cout << "  illustrative: " << i << "\n";
    std::string failures;
    for (const auto& f : tally.failures) failures += f + "\n";
    INFO(failures);
    CHECK(tally.failures.empty());
    // A parser that found nothing would pass vacuously.
    CHECK(tally.run + static_cast<int>(tally.illustrative.size()) >= at_least);
}

std::vector<std::string> files(const std::string& dir, const std::string& suffix) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(source_dir + "/" + dir)) {
        auto name = e.path().filename().string();
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            found.push_back(dir + "/" + name);
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace

TEST_CASE("the collector reads prompts, output, continuations, cron fields, systemd escapes and the illustrative marker", "[docs][examples]") {
    TempDir dir;
    auto md = dir.write("doc.md",
                        "text spotctl mentions\n```console\n$ spotctl a --x \\\n    --y\nheader  cols\n$ spotctl b  # illustrative: needs a replica\n"
                        "$ echo $?\n75\n```\n```sh\nscripts/demo   # runs spotctl\n# illustrative: real URL\nspotctl c\n```\n```toml\nspotctl = 1\n```\n");
    auto blocks = markdown_blocks(md.string(), "doc.md");
    REQUIRE(blocks.size() == 2);
    REQUIRE(blocks[0].steps.size() == 3);
    CHECK(blocks[0].steps[0].line == 3);
    CHECK(blocks[0].steps[0].command == "spotctl a --x \\\n    --y");
    CHECK(blocks[0].steps[0].shown == std::vector<std::string>{"header  cols"});
    CHECK(blocks[0].steps[1].illustrative == std::optional<std::string>("needs a replica"));
    CHECK(blocks[0].steps[2].command == "echo $?");
    CHECK(!runs_spotctl(blocks[1].steps[0].command));  // "spotctl" only in its comment
    CHECK(blocks[1].steps[1].illustrative == std::optional<std::string>("real URL"));

    auto cron = dir.write("crontab", "SHELL=/bin/sh\n5  * * * *  spotctl  spotctl -q x --f /srv/r-$(date +\\%F).csv\n");
    auto c = crontab_blocks(cron.string(), "crontab");
    REQUIRE(c.at(0).steps.size() == 1);
    CHECK(c[0].steps[0].command == "spotctl -q x --f /srv/r-$(date +%F).csv");
    CHECK(c[0].shell == "sh");

    auto unit = dir.write("x.service", "[Service]\n# illustrative: needs the real API\nExecStart=/usr/bin/spotctl health\n"
                                       "ExecStart=-/bin/sh -c 'exec /usr/bin/spotctl y $(date +%%F)'\nSuccessExitStatus=1 2\n");
    auto u = systemd_blocks(unit.string(), "x.service");
    REQUIRE(u.at(0).steps.size() == 2);
    CHECK(u[0].steps[0].illustrative == std::optional<std::string>("needs the real API"));
    CHECK(u[0].steps[1].command == "/bin/sh -c 'exec spotctl y $(date +%F)'");
    CHECK(!u[0].steps[1].illustrative);
    CHECK(u[0].success_exits == std::set<int>{0, 1, 2});
}

TEST_CASE("every spotctl command line in the README runs on the demo data or is marked illustrative", "[docs][examples]") {
    check_all("README.md", markdown_blocks(source_dir + "/README.md", "README.md"), 40);
}

TEST_CASE("every man page's EXAMPLES run on the demo data or are marked illustrative", "[docs][examples]") {
    std::vector<DocBlock> blocks;
    for (const auto& page : files("man", ".scd"))
        for (auto& b : scdoc_example_blocks(source_dir + "/" + page, page)) blocks.push_back(std::move(b));
    check_all("man pages", blocks, 50);
}

TEST_CASE("the shipped crontab and systemd units run on the demo data, and every service has its timer", "[docs][examples]") {
    auto blocks = crontab_blocks(source_dir + "/examples/crontab", "examples/crontab");
    REQUIRE(blocks.front().steps.size() >= 5);
    for (const auto& unit : files("examples/systemd", ".service")) {
        for (auto& b : systemd_blocks(source_dir + "/" + unit, unit)) blocks.push_back(std::move(b));
        auto timer = unit.substr(0, unit.size() - 8) + ".timer";
        INFO(unit << " has no " << timer << ": nothing would start it");
        CHECK(fs::exists(source_dir + "/" + timer));
    }
    check_all("examples/", blocks, 10);
}

TEST_CASE("every example of every --help runs on the demo data or is marked illustrative", "[docs][examples]") {
    std::vector<std::string> sources = files("cli", ".cpp");
    for (const auto& area : fs::directory_iterator(source_dir + "/commands"))
        for (const auto& f : files("commands/" + area.path().filename().string(), ".cpp")) sources.push_back(f);
    std::vector<DocBlock> blocks;
    std::set<std::string> collected;
    for (const auto& file : sources)
        for (auto& b : help_example_blocks(source_dir + "/" + file, file)) {
            for (const auto& step : b.steps) collected.insert(step.command);
            blocks.push_back(std::move(b));
        }
    // What the source scan found is what --help shows: no example is built some other way.
    for (const auto& [path, completions] : cli_tree()) {
        std::vector<std::string> args = words(path);
        args.push_back("--help");
        auto help = run_spotctl(args);
        REQUIRE(help.exit_code == 0);
        auto at = help.out.find("\nExamples:\n");
        if (at == std::string::npos) continue;
        std::istringstream shown(help.out.substr(at));
        for (std::string l; std::getline(shown, l);)
            if (starts_with(l, "  ") && runs_spotctl(l)) {
                INFO("spotctl " << path << " --help shows an example the test did not collect: " << l);
                CHECK(collected.count(trimmed_copy(l)) + collected.count(l.substr(2)) > 0);
            }
    }
    check_all("--help examples", blocks, 100);
}
