// spotctl seed load, reset and the production guard against a real PostgreSQL.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <optional>

#include "core/job_lock.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";

RunResult seed(const TempDatabase& db, std::vector<std::string> args) {
    std::vector<std::string> full = {"--database-url", db.url(), "seed"};
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

// Row counts of every platform table, as one comparable string.
std::string table_counts(TempDatabase& db) {
    return db.scalar(R"(
SELECT string_agg(format('%s=%s', c.relname,
         (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname), false, true, '')))[1]::text),
       ',' ORDER BY c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT LIKE 'spotctl\_%')");
}

const std::string user_header = "id,email,name,role\n";
const std::string good_user = "00000000-0000-4000-8000-00000000aa01,first@example.com,First,user\n";

}  // namespace

TEST_CASE("seed load of the demo data set, twice, gives the same row counts", "[seed]") {
    TempDatabase db("spotctl_template");
    auto first = seed(db, {"load", "--dir", demo_seeds});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    std::string counts = table_counts(db);
    REQUIRE(db.scalar("SELECT count(*) FROM users") != "0");
    REQUIRE(db.scalar("SELECT count(*) FROM chargers") != "0");
    auto second = seed(db, {"load", "--dir", demo_seeds});
    REQUIRE(second.exit_code == 0);
    REQUIRE(table_counts(db) == counts);
    REQUIRE(second.out.find("0 inserted") != std::string::npos);
    // The ledger invariant holds: every balance equals the sum of its ledger.
    REQUIRE(db.scalar("SELECT count(*) FROM users u WHERE coin_balance <> "
                      "(SELECT coalesce(sum(amount), 0) FROM coin_transactions t WHERE t.user_id = u.id)") == "0");
    // The demo data has staff to act as.
    REQUIRE(db.scalar("SELECT count(*) FROM users WHERE role = 'moderator' AND status = 'active'") != "0");
    REQUIRE(db.scalar("SELECT count(*) FROM moderation_items WHERE status = 'open'") != "0");
}

TEST_CASE("seed load keeps quoting, spaces, empty strings and NULLs exactly", "[seed]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    dir.write("users.csv", "\xEF\xBB\xBFid,email,name,phone,role\r\n"
                           "00000000-0000-4000-8000-00000000aa01,a@example.com,\"Ann, \"\"the admin\"\"\",,admin\r\n"
                           "00000000-0000-4000-8000-00000000aa02,b@example.com,  Bob  ,,user\r\n"
                           "00000000-0000-4000-8000-00000000aa04,d@example.com,\"\",,user\r\n"
                           "00000000-0000-4000-8000-00000000aa03,c@example.com,\"two\nlines\",,user\r\n");
    auto r = seed(db, {"load", "--dir", dir.path().string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT name FROM users WHERE email = 'a@example.com'") == "Ann, \"the admin\"");
    REQUIRE(db.scalar("SELECT name FROM users WHERE email = 'b@example.com'") == "  Bob  ");
    REQUIRE(db.scalar("SELECT name FROM users WHERE email = 'c@example.com'") == "two\nlines");
    REQUIRE(db.scalar("SELECT phone IS NULL FROM users WHERE email = 'a@example.com'") == "t");
    // A quoted "" is the empty string; an unquoted empty field is NULL.
    REQUIRE(db.scalar("SELECT name = '' FROM users WHERE email = 'd@example.com'") == "t");
}

TEST_CASE("each malformed fixture stops with file:line:column and changes nothing", "[seed]") {
    struct Case {
        std::string name;
        std::string users_csv;
        std::string expected;  // after "<dir>/users.csv"
    };
    const std::vector<Case> cases = {
        {"unterminated quote", user_header + good_user + "00000000-0000-4000-8000-00000000aa02,\"b@example.com,B,user\n",
         ":3:2: unterminated quoted field (it starts on line 3)"},
        {"wrong field count", user_header + good_user + "00000000-0000-4000-8000-00000000aa02,b@example.com,B,user,extra\n",
         ":3:5: expected 4 fields as in the header, found 5"},
        {"unknown column", "id,emale,name,role\n" + good_user, ":1:2: unknown column \"emale\" in table \"users\""},
        {"value that does not fit", user_header + good_user + "not-a-uuid,b@example.com,B,user\n",
         ":3:1: invalid input syntax for type uuid: \"not-a-uuid\" (column \"id\")"},
        {"check constraint", user_header + good_user + "00000000-0000-4000-8000-00000000aa02,b@example.com,B,superuser\n",
         ":3:4: new row for relation \"users\" violates check constraint \"users_role_check\""},
        {"stray quote", user_header + "00000000-0000-4000-8000-00000000aa02,b@exa\"mple.com,B,user\n",
         ":2:43: error parsing data while strict checking enabled"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            TempDatabase db("spotctl_template");
            TempDir dir;
            dir.write("users.csv", c.users_csv);
            dir.write("chargers.csv", "id,name,address,city,latitude,longitude,port_types,total_ports,available_ports\n"
                                      "10000000-0000-4000-8000-000000000001,C,A,X,1,1,{CCS},2,1\n");
            auto r = seed(db, {"load", "--dir", dir.path().string()});
            REQUIRE(r.exit_code == 65);
            REQUIRE(r.err.rfind("spotctl: error: " + (dir / "users.csv").string() + c.expected, 0) == 0);
            REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");
            REQUIRE(db.scalar("SELECT count(*) FROM chargers") == "0");
        }
    }
}

TEST_CASE("a foreign key to a missing row is reported at its line", "[seed]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    dir.write("users.csv", user_header + good_user);
    dir.write("chargers.csv", "id,name,address,city,latitude,longitude,port_types,total_ports,available_ports,added_by\n"
                              "10000000-0000-4000-8000-000000000001,C,A,X,1,1,{CCS},2,1,00000000-0000-4000-8000-00000000aa01\n"
                              "10000000-0000-4000-8000-000000000002,C,A,X,1,1,{CCS},2,1,00000000-0000-4000-8000-00000000aa01\n"
                              "10000000-0000-4000-8000-000000000003,C,A,X,1,1,{CCS},2,1,00000000-0000-4000-8000-0000000000ff\n");
    auto r = seed(db, {"load", "--dir", dir.path().string()});
    REQUIRE(r.exit_code == 65);
    REQUIRE(r.err.rfind(fmt::format("spotctl: error: {}:4:10: insert or update on table \"chargers\" violates foreign key "
                                    "constraint \"chargers_added_by_fkey\": Key (added_by)=(00000000-0000-4000-8000-0000000000ff) "
                                    "is not present in table \"users\".",
                                    (dir / "chargers.csv").string()),
                        0) == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");  // users.csv loaded fine, but nothing is committed
}

TEST_CASE("the on-conflict option decides what happens to existing keys", "[seed]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    dir.write("users.csv", user_header + good_user);
    REQUIRE(seed(db, {"load", "--dir", dir.path().string()}).exit_code == 0);
    dir.write("users.csv", user_header + "00000000-0000-4000-8000-00000000aa01,first@example.com,Renamed,user\n");
    REQUIRE(seed(db, {"load", "--dir", dir.path().string()}).exit_code == 0);
    REQUIRE(db.scalar("SELECT name FROM users") == "First");
    auto error = seed(db, {"load", "--dir", dir.path().string(), "--on-conflict", "error"});
    REQUIRE(error.exit_code == 65);
    REQUIRE(error.err.find("users.csv:2:1: duplicate key value violates unique constraint \"users_pkey\"") != std::string::npos);
    auto update = seed(db, {"load", "--dir", dir.path().string(), "--on-conflict", "update"});
    REQUIRE(update.exit_code == 0);
    REQUIRE(db.scalar("SELECT name FROM users") == "Renamed");
    REQUIRE(update.out.find("users     1         0        1        0") != std::string::npos);
}

TEST_CASE("a dry run loads everything and commits nothing", "[seed]") {
    TempDatabase db("spotctl_template");
    auto r = seed(db, {"load", "--dir", demo_seeds, "--dry-run"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find("(dry run: rolled back)") != std::string::npos);
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");
}

TEST_CASE("seeding and reset refuse a database marked as production", "[seed][guard]") {
    TempDatabase db("spotctl_template");
    REQUIRE(seed(db, {"mark", "--environment", "production"}).exit_code == 0);
    REQUIRE(seed(db, {"environment"}).out == "production\n");
    auto load = seed(db, {"load", "--dir", demo_seeds});
    REQUIRE(load.exit_code == 77);
    REQUIRE(load.err == fmt::format("spotctl: error: refusing to load fixtures into database '{}': it is marked as production\n"
                                    "spotctl: hint: add --allow-production if you really mean it, or mark a copy with "
                                    "'spotctl seed mark --environment staging'\n",
                                    db.name()));
    auto reset = seed(db, {"reset", "--yes"});
    REQUIRE(reset.exit_code == 77);
    auto unmark = seed(db, {"mark", "--environment", "staging"});
    REQUIRE(unmark.exit_code == 77);
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");
    auto allowed = seed(db, {"--allow-production", "load", "--dir", demo_seeds, "--only", "users"});
    REQUIRE(allowed.exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM users") != "0");
}

TEST_CASE("seed reset empties every platform table, append-only ones included", "[seed]") {
    TempDatabase db("spotctl_template");
    REQUIRE(seed(db, {"load", "--dir", demo_seeds}).exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") != "0");
    auto refused = seed(db, {"reset"});
    REQUIRE(refused.exit_code == 64);
    auto r = seed(db, {"reset", "--yes"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == "0");
    // The append-only protection is back in force afterwards.
    REQUIRE_THROWS(db.conn().exec("TRUNCATE audit_log"));
    // Loading again works (identities restarted).
    REQUIRE(seed(db, {"load", "--dir", demo_seeds}).exit_code == 0);
}

TEST_CASE("one seed run at a time: load, generate and reset exit 75 while another holds the seed lock", "[seed][lock]") {
    TempDatabase db("spotctl_template");
    std::optional<JobLock> held = JobLock::acquire(pg::Settings{db.url(), "spotctl tests"}, "seed", Millis(0));
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"load", "--dir", demo_seeds}, {"generate", "--scale", "1"}, {"reset", "--yes"}}) {
        auto r = seed(db, args);
        INFO(args[0] << ": " << r.err);
        REQUIRE(r.exit_code == 75);
        REQUIRE(r.err.rfind("spotctl: error: another 'seed' run holds the lock: 'spotctl seed lock (", 0) == 0);
    }
    REQUIRE(db.scalar("SELECT count(*) FROM users") == "0");
    held.reset();
    auto after = seed(db, {"load", "--dir", demo_seeds, "--only", "users"});
    INFO(after.err);
    REQUIRE(after.exit_code == 0);  // the lock was all that stopped them
    REQUIRE(db.scalar("SELECT count(*) FROM users") != "0");
}

TEST_CASE("mark development records the environment, seeding goes on, and leaving production needs --allow-production", "[seed][guard]") {
    TempDatabase db("spotctl_template");
    REQUIRE(seed(db, {"environment"}).out == "unmarked\n");
    auto mark = seed(db, {"mark", "--environment", "development"});
    REQUIRE(mark.exit_code == 0);
    REQUIRE(mark.out == "database marked as development\n");
    REQUIRE(seed(db, {"environment"}).out == "development\n");
    REQUIRE(db.scalar("SELECT value FROM spotctl_settings WHERE key = 'environment'") == "development");
    REQUIRE(seed(db, {"load", "--dir", demo_seeds, "--only", "users"}).exit_code == 0);

    REQUIRE(seed(db, {"mark", "--environment", "production"}).exit_code == 0);
    auto refused = seed(db, {"mark", "--environment", "development"});
    REQUIRE(refused.exit_code == 77);
    REQUIRE(seed(db, {"environment"}).out == "production\n");
    auto allowed = seed(db, {"--allow-production", "mark", "--environment", "development"});
    REQUIRE(allowed.exit_code == 0);
    REQUIRE(seed(db, {"environment"}).out == "development\n");
    REQUIRE(seed(db, {"reset", "--yes"}).exit_code == 0);  // no longer guarded
    auto unknown = seed(db, {"mark", "--environment", "dev"});
    REQUIRE(unknown.exit_code == 64);
    REQUIRE(unknown.err.rfind("spotctl: error: --environment: dev not in {production,staging,development}\n", 0) == 0);
}
