// No PostgreSQL parse error ever reaches a person: every argument of every command that takes a
// value (walked from the CLI11 definition the binary itself uses, so a new option is covered the
// day it is added) is given malformed ids, times and numbers, the other arguments being valid,
// against the demo data. Each run must end with spotctl's own words: no server message, no
// internal error, no crash.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "cli/registry.hpp"
#include "support/demo_data.hpp"
#include "support/harness.hpp"
#include "support/private_redis.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string source_dir = SPOTCTL_SOURCE_DIR;

// An id too short for a prefix, text that is no time, id or number, an impossible date, a number
// no integer holds, a negative count, and a duration with a space (`--claim-for 2 hours`).
const std::vector<std::string> malformed = {"19", "zz-not-valid", "2026-13-45T25:61:00Z", "99999999999999999999", "-1", "2 hours"};

// Under AddressSanitizer and gcov (CI's coverage phase) a spotctl run costs 25 times a release
// run, and this test spent 625 s there: each argument gets two of the values, in rotation, so
// every value still reaches a third of the arguments. The release run (scripts/test) gives all.
#ifdef __SANITIZE_ADDRESS__
constexpr std::size_t values_per_argument = 2;
#else
constexpr std::size_t values_per_argument = 6;
#endif

// Words of PostgreSQL's own messages.
const std::vector<std::string> server_words = {"invalid input syntax", "out of range for type", "date/time field value",
                                               "SQLSTATE", "ERROR:", "syntax error at", "LINE 1", "DETAIL:",
                                               "for type uuid", "for type timestamp", "time zone \"", "invalid_text_representation"};

// Commands not run: their values never reach PostgreSQL, or running them is not about input.
const std::set<std::string> not_run = {
    "completion",     // prints a script
    "help",           // prints help
    "seed generate",  // generates a data set of the given size: minutes, and covered by its own tests
    "health",         // probes HTTP endpoints with network timeouts (its thresholds: test_hostile_input)
};

struct Leaf {
    std::vector<const CLI::App*> chain;  // from the area down to the command
    std::string path;
};

void collect(const CLI::App* app, std::vector<const CLI::App*> chain, const std::map<const CLI::App*, cli::Action>& actions,
             std::vector<Leaf>& out) {
    chain.push_back(app);
    if (actions.count(app)) out.push_back({chain, cli::command_path(app)});
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; })) collect(sub, chain, actions, out);
}

// A valid value for an argument that is not the one under test, from the demo data.
std::string good_value(const Leaf& leaf, const std::string& name, const std::string& dir) {
    const std::string& p = leaf.path;
    if (name == "--as") return "admin@spot.example";
    if (name == "--reason") return "malformed-input test";
    if (name == "id") return p.rfind("fraud", 0) == 0 ? "1" : "0000000c-0000-4000-8000-000000000015";
    if (name == "user") return "priya.sharma@example.com";
    if (name == "--action") return p == "fraud review confirm" ? "suspend" : "user.suspend";
    if (name == "cidr") return "203.0.113.0/24";
    if (name == "rule") return "brute_force";
    if (name == "shell") return "bash";
    if (name == "--from") return "2026-10-01";
    if (name == "--to") return "2026-11-20";
    if (name == "--file") return dir + "/decisions.csv";
    // A copy of the migrations: `migrate new` writes into its directory.
    if (name == "--dir") return p.rfind("migrate", 0) == 0 ? dir + "/migrations" : source_dir + "/seeds";
    if (name == "name" || name == "report") return "revenue";
    return "x";
}

// The command line for `leaf` with `target` set to `value`, every required argument (and every
// argument `target` needs) valid.
std::vector<std::string> command_line(const Leaf& leaf, const CLI::Option* target, const std::string& value, const std::string& dir) {
    std::vector<std::string> args;
    std::set<const CLI::Option*> needed;
    for (const CLI::Option* n : target->get_needs()) needed.insert(n);
    for (const CLI::App* app : leaf.chain) {
        args.push_back(app->get_name());
        for (const CLI::Option* opt : app->get_options()) {
            // --dir always: `migrate new` would otherwise write into ./migrations.
            bool wanted = opt == target || opt->get_required() || needed.count(opt) || opt->get_name() == "--dir";
            if (!wanted || opt->get_type_size_max() == 0) continue;
            std::string v = opt == target ? value : good_value(leaf, opt->get_name(), dir);
            if (!opt->get_positional()) args.push_back(opt->get_name());
            args.push_back(v);
        }
    }
    return args;
}

bool speaks_postgresql(const std::string& text) {
    for (const auto& w : server_words)
        if (text.find(w) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("malformed ids, times and numbers in every argument of every command end in spotctl's words", "[malformed][cli]") {
    TempDatabase db("spotctl_template");
    load_demo_seeds(db);
    REQUIRE(run_spotctl({"--database-url", db.url(), "fraud", "scan", "--from", "2026-10-01", "--to", "2026-11-20", "-q"}).exit_code == 0);
    // migrate runs against a database of its own, so that a `migrate down` leaves the demo data be.
    TempDatabase bare;
    PrivateRedis redis;
    TempDir dir;
    dir.write("decisions.csv", "id,decision,reason\n0000000c-0000-4000-8000-000000000015,approve,fine\n");
    std::filesystem::copy(source_dir + "/migrations", dir.path() / "migrations");

    // The tree the binary builds.
    CLI::App app("spotctl", "spotctl");
    std::vector<cli::Setting> settings;
    std::map<const CLI::App*, cli::Action> actions;
    std::map<const CLI::App*, int> codes;
    std::string metrics_file;
    cli::OutputFormats formats;
    cli::CommandBuilder root(app, settings, actions, codes, metrics_file, formats);
    for (const auto& area : cli::command_areas()) {
        auto b = root.subcommand(area.name, area.summary);
        area.define(b);
    }
    std::vector<Leaf> leaves;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) collect(sub, {}, actions, leaves);
    REQUIRE(leaves.size() > 40);

    int runs = 0, arguments = 0;
    std::vector<std::string> failures;
    for (const auto& leaf : leaves) {
        if (not_run.count(leaf.path) || not_run.count(leaf.path.substr(0, leaf.path.find(' ')))) continue;
        for (const CLI::App* level : leaf.chain)
            for (const CLI::Option* opt : level->get_options()) {
                if (opt->get_type_size_max() == 0) continue;  // a flag
                // Connection settings and the output format: not data the command reads.
                static const std::set<std::string> global = {"--database-url", "--redis-url", "--config", "--output", "--replica-url"};
                if (global.count(opt->get_name())) continue;
                // Paths: a malformed one would be a file written where the test runs; no id, time or number.
                static const std::set<std::string> paths = {"--file", "--dir", "--output-file", "--metrics-file", "--migrations-dir",
                                                            "--ca-file", "files"};
                if (paths.count(opt->get_name())) continue;
                ++arguments;
                for (std::size_t k = 0; k < values_per_argument; ++k) {
                    const std::string& value = malformed[(arguments + k) % malformed.size()];
                    bool migrate = leaf.path.rfind("migrate", 0) == 0;
                    std::vector<std::string> args = {"--database-url", migrate ? bare.url() : db.url(), "--redis-url", redis.url(), "-q"};
                    auto line = command_line(leaf, opt, value, dir.path().string());
                    args.insert(args.end(), line.begin(), line.end());
                    auto r = run_spotctl(args, {{"SPOTCTL_CONFIG", ""}, {"SPOTCTL_ACTOR", ""}});
                    ++runs;
                    std::string shown = fmt::format("spotctl {} -> exit {}: {}", fmt::join(line, " "), r.exit_code, r.err);
                    if (r.exit_code < 0 || r.exit_code == 70 || speaks_postgresql(r.err) || speaks_postgresql(r.out))
                        failures.push_back(shown);
                }
            }
    }
    INFO(runs << " runs over " << arguments << " arguments of " << leaves.size() << " commands");
    for (const auto& f : failures) UNSCOPED_INFO(f);
    REQUIRE(failures.empty());
    REQUIRE(arguments > 60);
}
