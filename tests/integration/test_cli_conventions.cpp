// Conventions every command shares: where settings come from, error lines and exit codes,
// passwords never printed, stdout write failures reported.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <regex>
#include <thread>
#include <unistd.h>

#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string test_password = "S3cret-Pa55word-xyz";

// A login role with a real password, reachable over 127.0.0.1 where pg_hba checks passwords.
std::string password_url(const TempDatabase& db, const std::string& password = test_password) {
    return fmt::format("postgresql://spot_pw:{}@127.0.0.1:{}/{}", password, required_env("SPOTCTL_TEST_PG_PORT"), db.name());
}

void create_password_role(TempDatabase& db) {
    db.conn().exec(fmt::format(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'spot_pw') THEN "
        "CREATE ROLE spot_pw LOGIN PASSWORD '{}'; END IF; END $$",
        test_password));
    db.conn().exec(fmt::format("GRANT ALL ON DATABASE {} TO spot_pw", db.name()));
    db.conn().exec("GRANT ALL ON SCHEMA public TO spot_pw");
}

void require_no_password(const RunResult& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.out.find(test_password) == std::string::npos);
    REQUIRE(r.err.find(test_password) == std::string::npos);
}

}  // namespace

TEST_CASE("a password in DATABASE_URL never appears in any output", "[cli][security]") {
    TempDatabase db;
    create_password_role(db);
    const std::string migrations = std::string(SPOTCTL_SOURCE_DIR) + "/migrations";

    // Success, verbose and debug output.
    auto ok = run_spotctl({"-vv", "migrate", "--dir", migrations, "up", "--to", "1"}, {{"DATABASE_URL", password_url(db)}});
    require_no_password(ok);
    REQUIRE(ok.exit_code == 0);
    REQUIRE(ok.err.find("spotctl: debug: connected to PostgreSQL at postgresql://spot_pw:****@127.0.0.1") != std::string::npos);

    // Wrong password: the error shows the URL with ****.
    auto wrong_db = db.name() + "_missing";
    auto bad = run_spotctl({"migrate", "--dir", migrations, "status"},
                           {{"DATABASE_URL", fmt::format("postgresql://spot_pw:{}@127.0.0.1:{}/{}", test_password,
                                                         required_env("SPOTCTL_TEST_PG_PORT"), wrong_db)}});
    require_no_password(bad);
    REQUIRE(bad.exit_code == 69);
    REQUIRE(bad.err.find(fmt::format("spotctl: error: cannot connect to PostgreSQL at postgresql://spot_pw:****@127.0.0.1:{}/{}:",
                                     required_env("SPOTCTL_TEST_PG_PORT"), wrong_db)) != std::string::npos);

    // The same in libpq's key=value form and as a flag.
    auto kv = run_spotctl({"--database-url",
                           fmt::format("host=127.0.0.1 port={} user=spot_pw password={} dbname={}",
                                       required_env("SPOTCTL_TEST_PG_PORT"), test_password, wrong_db),
                           "-vv", "migrate", "--dir", migrations, "status"});
    require_no_password(kv);
    REQUIRE(kv.exit_code == 69);
    REQUIRE(kv.err.find("password=****") != std::string::npos);

    // A wrong password is refused by the server (scram), reported without echoing either password.
    auto refused = run_spotctl({"migrate", "--dir", migrations, "status"}, {{"DATABASE_URL", password_url(db, test_password + "-wrong")}});
    REQUIRE(refused.exit_code == 69);
    REQUIRE(refused.err.find("password authentication failed for user \"spot_pw\"") != std::string::npos);
    REQUIRE(refused.err.find(test_password) == std::string::npos);

}

TEST_CASE("an unreachable database is exit 69 with the target named", "[cli]") {
    auto r = run_spotctl({"--database-url", "postgresql://nobody@127.0.0.1:1/none", "--connect-timeout", "2s", "migrate", "status",
                          "--dir", std::string(SPOTCTL_SOURCE_DIR) + "/migrations"});
    REQUIRE(r.exit_code == 69);
    REQUIRE(r.err.rfind("spotctl: error: cannot connect to PostgreSQL at postgresql://nobody@127.0.0.1:1/none: ", 0) == 0);
    REQUIRE(r.err.find("spotctl: hint: check --database-url") != std::string::npos);
}

TEST_CASE("settings come from the flag, then the environment, then the configuration file", "[cli][config]") {
    TempDir dirs;
    // Three migration directories with 1, 2 and 3 files tell which one was used.
    for (int n = 1; n <= 3; ++n)
        for (int i = 1; i <= n; ++i) dirs.write(fmt::format("d{}/000{}_m.up.sql", n, i), "SELECT 1;\n");
    dirs.write("config.toml", fmt::format("[migrate]\ndir = \"{}\"\n", (dirs / "d1").string()));
    const std::string config = (dirs / "config.toml").string();

    auto from_file = run_spotctl({"--config", config, "migrate", "validate", "--offline"});
    REQUIRE(from_file.out == "1 migration(s) valid\n");

    auto from_env = run_spotctl({"migrate", "validate", "--offline"},
                                {{"SPOTCTL_CONFIG", config}, {"SPOTCTL_MIGRATIONS_DIR", (dirs / "d2").string()}});
    REQUIRE(from_env.out == "2 migration(s) valid\n");

    auto from_flag = run_spotctl({"migrate", "--dir", (dirs / "d3").string(), "validate", "--offline"},
                                 {{"SPOTCTL_CONFIG", config}, {"SPOTCTL_MIGRATIONS_DIR", (dirs / "d2").string()}});
    REQUIRE(from_flag.out == "3 migration(s) valid\n");

    // The default location: $XDG_CONFIG_HOME/spotctl/config.toml.
    dirs.write("xdg/spotctl/config.toml", fmt::format("[migrate]\ndir = \"{}\"\n", (dirs / "d2").string()));
    auto from_default = run_spotctl({"migrate", "validate", "--offline"}, {{"XDG_CONFIG_HOME", (dirs / "xdg").string()}});
    REQUIRE(from_default.out == "2 migration(s) valid\n");
}

TEST_CASE("a bad configuration file is exit 78 pointing at the line", "[cli][config]") {
    TempDir dir;
    dir.write("syntax.toml", "[migrate]\ndir = \"unterminated\n");
    auto syntax = run_spotctl({"--config", (dir / "syntax.toml").string(), "migrate", "status"});
    REQUIRE(syntax.exit_code == 78);
    REQUIRE(syntax.err.rfind(fmt::format("spotctl: error: {}:2:", (dir / "syntax.toml").string()), 0) == 0);

    dir.write("value.toml", "\n[migrate]\nlock_timeout = \"soon\"\n");
    auto value = run_spotctl({"--config", (dir / "value.toml").string(), "migrate", "validate", "--offline"});
    REQUIRE(value.exit_code == 78);
    REQUIRE(value.err.rfind(fmt::format("spotctl: error: {}:3: invalid value for --lock-timeout", (dir / "value.toml").string()), 0) == 0);

    auto missing = run_spotctl({"--config", (dir / "nope.toml").string(), "migrate", "status"});
    REQUIRE(missing.exit_code == 78);
    REQUIRE(missing.err == fmt::format("spotctl: error: cannot read configuration file '{}': no such file\n", (dir / "nope.toml").string()));
}

TEST_CASE("usage errors are exit 64 with one error line and a hint", "[cli]") {
    auto flag = run_spotctl({"migrate", "up", "--no-such-flag"});
    REQUIRE(flag.exit_code == 64);
    REQUIRE(flag.err == "spotctl: error: unknown option '--no-such-flag' for 'spotctl migrate up'\n"
                        "spotctl: hint: usage: spotctl migrate up [OPTIONS]\n");
    auto duration = run_spotctl({"migrate", "--lock-timeout", "forever", "status"});
    REQUIRE(duration.exit_code == 64);
    REQUIRE(duration.err.find("'forever' is not a duration") != std::string::npos);
    auto group = run_spotctl({"migrate"});
    REQUIRE(group.exit_code == 64);
    auto none = run_spotctl({});
    REQUIRE(none.exit_code == 64);
    REQUIRE(none.err.find("spotctl: error: no command given") != std::string::npos);
}

TEST_CASE("help and version", "[cli]") {
    auto version = run_spotctl({"--version"});
    REQUIRE(version.exit_code == 0);
    REQUIRE(version.out.rfind("spotctl ", 0) == 0);
    auto help = run_spotctl({"help", "migrate", "up"});
    REQUIRE(help.exit_code == 0);
    REQUIRE(help.out.find("--dry-run") != std::string::npos);
    REQUIRE(help.out.find("Examples:") != std::string::npos);
    auto unknown = run_spotctl({"help", "nothing"});
    REQUIRE(unknown.exit_code == 64);
    REQUIRE(unknown.err.find("spotctl: error: unknown command 'nothing'") != std::string::npos);
}

TEST_CASE("a failed write to stdout is exit 73, never success", "[cli]") {
    auto r = run_shell(fmt::format("'{}' migrate --dir '{}/migrations' lint > /dev/full 2>/tmp/spotctl-full.err; echo $?",
                                   SPOTCTL_BINARY, SPOTCTL_SOURCE_DIR));
    REQUIRE(r.out == "73\n");
    auto err = run_shell("cat /tmp/spotctl-full.err");
    REQUIRE(err.out == "spotctl: error: cannot write to standard output\n");
}

TEST_CASE("the wait-for-db option waits for the database to accept connections", "[cli]") {
    // A database that does not exist yet is what a CI job sees while its server starts.
    std::string name = fmt::format("spotctl_wait_{}", ::getpid());
    Background run({"--database-url", pg_conninfo(name), "--wait-for-db", "20s", "-v", "migrate", "--dir",
                    std::string(SPOTCTL_SOURCE_DIR) + "/migrations", "status"});
    // The database appears once spotctl has failed to connect and said it waits.
    REQUIRE(run.wait_for_stderr("spotctl: info: waiting for PostgreSQL"));
    pg::Connection admin(pg::Settings{pg_conninfo("postgres"), "spotctl tests"});
    admin.exec(fmt::format("CREATE DATABASE {}", name));
    auto r = run.wait();
    admin.exec(fmt::format("DROP DATABASE {} WITH (FORCE)", name));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.find("spotctl: info: waiting for PostgreSQL: cannot connect to PostgreSQL") != std::string::npos);
    REQUIRE(r.out.find(fmt::format("0 applied, {} pending", platform_migration_count())) != std::string::npos);
}

TEST_CASE("verbose output shows begin and end lines with the duration, and without it stderr stays empty", "[cli]") {
    TempDir dir;
    dir.write("0001_a.up.sql", "SELECT 1;\n");
    auto quiet = run_spotctl({"migrate", "--dir", dir.path().string(), "validate", "--offline"});
    REQUIRE(quiet.exit_code == 0);  // an up-only history is valid
    REQUIRE(quiet.err.empty());
    auto verbose = run_spotctl({"-v", "migrate", "--dir", dir.path().string(), "lint"});
    REQUIRE(verbose.exit_code == 0);
    REQUIRE(verbose.err.find("spotctl: info: begin migrate lint\n") != std::string::npos);
    REQUIRE(std::regex_search(verbose.err, std::regex(R"(spotctl: info: end migrate lint: exit 0 after \d+ms)")));
    auto plain = run_spotctl({"migrate", "--dir", dir.path().string(), "lint"});
    REQUIRE(plain.err.empty());
}
