// Least privilege, as the README's "Running against a real platform database" table states it:
// each command works with a role holding exactly those grants, and with one grant less it fails
// cleanly (exit 77 and a message naming what was refused), changing nothing.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/harness.hpp"

using namespace spotctl::test;

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";

// A login role with nothing but CONNECT and `grants` (SQL run as the superuser); its URL.
std::string role_with(TempDatabase& db, const std::string& grants) {
    static int n = 0;
    std::string role = fmt::format("spotctl_least_{}_{}", ::getpid(), n++);
    db.conn().exec(fmt::format("CREATE ROLE {0} LOGIN; REVOKE ALL ON SCHEMA public FROM PUBLIC; "
                               "GRANT USAGE ON SCHEMA public TO {0}; GRANT CONNECT ON DATABASE {1} TO {0}; {2}",
                               role, db.name(), fmt::format(fmt::runtime(grants), fmt::arg("role", role))));
    std::string url = db.url();
    auto pos = url.find("user=postgres");
    REQUIRE(pos != std::string::npos);
    return url.replace(pos, 13, "user=" + role);
}

void require_refused(const RunResult& r, const std::string& what) {
    INFO(r.err);
    REQUIRE(r.exit_code == 77);
    REQUIRE(r.err.rfind("spotctl: error: ", 0) == 0);
    REQUIRE(r.err.find(what) != std::string::npos);
}

const std::string prune_grants =
    "GRANT SELECT, UPDATE, DELETE ON user_sessions, login_attempts, notifications, charger_photos, profile_changes, "
    "user_risk_profiles TO {role}; GRANT SELECT, UPDATE ON reservations, users, payments, charger_verifications TO {role}; "
    "GRANT INSERT, SELECT (id) ON audit_log TO {role};";

}  // namespace

TEST_CASE("permissions: prune works with the README's grants, and without DELETE on a table exits 77", "[permissions][prune]") {
    TempDatabase db("spotctl_template");
    REQUIRE(run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", demo_seeds}).exit_code == 0);
    db.conn().exec("INSERT INTO login_attempts (ip, success, created_at) SELECT '10.7.0.1', false, now() - interval '200 days' "
                   "FROM generate_series(1, 10)");
    auto url = role_with(db, prune_grants);
    auto dry = run_spotctl({"--database-url", url, "prune", "--dry-run"});
    INFO(dry.err);
    REQUIRE(dry.exit_code == 0);
    auto full = run_spotctl({"--database-url", url, "prune"});
    INFO(full.err);
    REQUIRE(full.exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE ip = '10.7.0.1'") == "0");

    db.conn().exec("INSERT INTO login_attempts (ip, success, created_at) SELECT '10.7.0.2', false, now() - interval '200 days' "
                   "FROM generate_series(1, 10)");
    auto less = role_with(db, prune_grants + " REVOKE DELETE ON login_attempts FROM {role};");
    require_refused(run_spotctl({"--database-url", less, "prune", "login_attempts"}), "permission denied for table login_attempts");
    REQUIRE(db.scalar("SELECT count(*) FROM login_attempts WHERE ip = '10.7.0.2'") == "10");
}

TEST_CASE("permissions: migrate status needs SELECT on its state table, and nothing more", "[permissions][migrate]") {
    TempDatabase db("spotctl_template");
    std::string dir = std::string(SPOTCTL_SOURCE_DIR) + "/migrations";
    auto url = role_with(db, "GRANT SELECT ON spotctl_schema_migrations TO {role};");
    auto status = run_spotctl({"--database-url", url, "migrate", "--dir", dir, "status"});
    INFO(status.err);
    REQUIRE(status.exit_code == 0);
    require_refused(run_spotctl({"--database-url", role_with(db, ""), "migrate", "--dir", dir, "status"}),
                    "permission denied for table spotctl_schema_migrations");
    // Applying needs ownership: a status-only role cannot change the schema.
    auto down = run_spotctl({"--database-url", url, "migrate", "--dir", dir, "down", "--yes"});
    INFO(down.err);
    REQUIRE(down.exit_code == 77);
    REQUIRE(db.scalar("SELECT count(*) FROM spotctl_schema_migrations") == std::to_string(platform_migration_count()));
}

TEST_CASE("permissions: health needs only CONNECT", "[permissions][health]") {
    TempDatabase db("spotctl_template");
    auto r = run_spotctl({"--database-url", role_with(db, ""), "health", "postgres", "-o", "json", "--migrations-dir",
                          std::string(SPOTCTL_SOURCE_DIR) + "/migrations"});
    INFO(r.out << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // OK or WARNING: the probe ran
    REQUIRE(r.out.find("\"connections_used_percent\"") != std::string::npos);
    REQUIRE(r.out.find("migrations not checked: the role may not read spotctl_schema_migrations") != std::string::npos);
}

TEST_CASE("permissions: seed load works with INSERT and SELECT, and without INSERT exits 77 loading nothing", "[permissions][seed]") {
    TempDatabase db("spotctl_template");
    const std::string tables = "ALL TABLES IN SCHEMA public";
    // The ledger's trigger keeps users.coin_balance, with the privileges of whoever inserts.
    auto url = role_with(db, "GRANT INSERT, SELECT ON " + tables + " TO {role}; GRANT UPDATE (coin_balance) ON users TO {role}; "
                             "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}; GRANT TEMP ON DATABASE " + db.name() + " TO {role};");
    auto r = run_spotctl({"--database-url", url, "seed", "load", "--dir", demo_seeds});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) > 0 FROM users") == "t");

    TempDatabase other("spotctl_template");
    auto less = role_with(other, "GRANT SELECT ON " + tables + " TO {role}; GRANT TEMP ON DATABASE " + other.name() + " TO {role};");
    require_refused(run_spotctl({"--database-url", less, "seed", "load", "--dir", demo_seeds}), "permission denied for table");
    REQUIRE(other.scalar("SELECT count(*) FROM users") == "0");
}
