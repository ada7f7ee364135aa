// `spotctl config` and the configuration file's documentation: every setting a command reads
// is in spotctl.toml(5), unknown keys are reported with file and line, and values are shown
// with their source and without passwords.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sstream>

#include "support/harness.hpp"

using namespace spotctl::test;

namespace {

// The text of `page` from the line "# HEADING" to the next "# " heading.
std::string section(const std::string& page, const std::string& heading) {
    auto start = page.find("\n# " + heading + "\n");
    if (start == std::string::npos) return "";
    auto end = page.find("\n# ", start + 3);
    return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("every setting spotctl reads is documented in spotctl.toml(5)", "[cli][docs][config]") {
    auto r = run_spotctl({"config", "show", "-o", "csv"}, {{"SPOTCTL_CONFIG", ""}, {"XDG_CONFIG_HOME", "/nonexistent"}});
    REQUIRE(r.exit_code == 0);
    std::string page = slurp(std::string(SPOTCTL_SOURCE_DIR) + "/man/spotctl.toml.5.scd");
    REQUIRE(!page.empty());
    std::istringstream lines(r.out);
    std::string line;
    std::getline(lines, line);
    REQUIRE(line.rfind("key,value,source,", 0) == 0);
    int checked = 0;
    while (std::getline(lines, line)) {
        std::string key = line.substr(0, line.find(','));  // setting names need no CSV quotes
        auto dot = key.rfind('.');
        std::string heading = dot == std::string::npos ? "GLOBAL SETTINGS" : "[" + key.substr(0, dot) + "]";
        std::string leaf = key.substr(dot == std::string::npos ? 0 : dot + 1);
        std::string text = section(page, heading);
        INFO("setting " << key << ": section '# " << heading << "' of spotctl.toml.5.scd must mention *" << leaf << "*");
        CHECK(text.find("*" + leaf + "*") != std::string::npos);
        ++checked;
    }
    REQUIRE(checked >= 20);
}

TEST_CASE("config check names unknown settings with file and line and exits 78", "[cli][config]") {
    TempDir dir;
    auto file = dir.write("config.toml",
                          "database_url = \"postgresql://u:pw-in-file@127.0.0.1/x\"\n"
                          "[prune]\n"
                          "batch_sise = 10\n"
                          "batch-size = 20\n"
                          "[health.http.api]\n"
                          "url = \"http://127.0.0.1:1/\"\n");
    auto check = run_spotctl({"--config", file.string(), "config", "check"});
    REQUIRE(check.exit_code == 78);
    REQUIRE(check.out == fmt::format("{}:3: unknown setting 'prune.batch_sise'\n", file.string()));
    REQUIRE(check.err.find(fmt::format("spotctl: error: 1 unknown setting in '{}'\n", file.string())) == 0);

    // Any other command warns, once per key, and goes on.
    auto show = run_spotctl({"--config", file.string(), "config", "show", "-o", "json"});
    REQUIRE(show.exit_code == 0);
    REQUIRE(show.err == fmt::format("spotctl: warning: {}:3: unknown setting 'prune.batch_sise' is ignored (spotctl config check)\n",
                                    file.string()));
    // Values with their source; the password in the file is never printed.
    REQUIRE(show.out.find(fmt::format(R"({{"key": "prune.batch_size", "value": "20", "source": "{}:4", "option": "--batch-size")",
                                      file.string())) != std::string::npos);
    REQUIRE(show.out.find(R"({"key": "database_url", "value": "postgresql://u:****@127.0.0.1/x")") != std::string::npos);
    REQUIRE(show.out.find("pw-in-file") == std::string::npos);
    REQUIRE(show.out.find(R"({"key": "health.timeout", "value": "10s", "source": "default")") != std::string::npos);

    // The environment outranks the file.
    auto env = run_spotctl({"--config", file.string(), "-q", "config", "show", "-o", "json"}, {{"DATABASE_URL", "host=/tmp dbname=e"}});
    REQUIRE(env.out.find(R"({"key": "database_url", "value": "host=/tmp dbname=e", "source": "environment")") != std::string::npos);
    REQUIRE(env.err.empty());  // -q: no warnings either

    auto fixed = dir.write("good.toml", "[prune]\nbatch_size = 10\n[cache.namespaces.feed]\npattern = \"feed:{id}\"\n");
    auto ok = run_spotctl({"--config", fixed.string(), "config", "check"});
    REQUIRE(ok.exit_code == 0);
    REQUIRE(ok.out == fmt::format("{}: 2 settings, all known\n", fixed.string()));
    auto path = run_spotctl({"--config", fixed.string(), "config", "path"});
    REQUIRE(path.out == fixed.string() + "\n");
}

TEST_CASE("the example configuration file has only settings spotctl reads", "[cli][config]") {
    auto r = run_spotctl({"--config", std::string(SPOTCTL_SOURCE_DIR) + "/examples/config.toml", "config", "check"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.empty());
}
