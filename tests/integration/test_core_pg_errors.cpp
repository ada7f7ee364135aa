// core/pg: how the server's errors become spotctl's exit codes (core/pg.cpp's rethrow_pqxx and
// sqlstate_of), for the SQLSTATEs that commands meet only under load or failure: a serialization
// failure, a deadlock, an unknown commit outcome, a refused privilege, a full disk, a broken
// connection. The server itself raises each one (RAISE ... USING ERRCODE) on one connection;
// what is checked is the code, the state and the hint a person sees.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>
#include <utility>

#include "core/pg.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Has the server raise `sqlstate` on `session` (a connection or a transaction) and hands the
// error spotctl's pg layer made of it to `check`.
template <typename Session, typename Check>
void on_raise(Session& session, const std::string& sqlstate, Check check) {
    try {
        session.exec(fmt::format("DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '{}'; END $$", sqlstate));
    } catch (const Error& e) {
        check(e);
        return;
    }
    FAIL("the server raised nothing for " << sqlstate);
}

}  // namespace

TEST_CASE("server errors map to spotctl's exit codes with their SQLSTATE and hint", "[pg]") {
    pg::Connection conn(pg::Settings{pg_conninfo("postgres"), "spotctl tests"});

    struct Case {
        std::string raised, state;
        Exit code;
        std::string hint;
    };
    const std::string rolled_back = "the transaction was rolled back; run the command again";
    // libpqxx 6.4 throws its rollback classes and insufficient_privilege without the SQLSTATE;
    // the state comes back from the exception's class.
    const std::vector<Case> cases = {
        {"40001", "40001", Exit::temp_fail, rolled_back},  // serialization_failure
        {"40P01", "40P01", Exit::temp_fail, rolled_back},  // deadlock_detected
        {"40003", "40003", Exit::temp_fail, rolled_back},  // statement_completion_unknown
        {"40000", "40000", Exit::temp_fail, rolled_back},  // transaction_rollback
        {"40002", "40002", Exit::temp_fail, ""},           // no class of its own: a plain sql_error with its state
        {"42501", "42501", Exit::no_perm,
         "the database role lacks a privilege this command needs: see PRIVILEGES in 'man spotctl-COMMAND'"},
        {"53100", "53100", Exit::unavailable, ""},  // disk_full
        {"53200", "53200", Exit::unavailable, ""},  // out_of_memory
    };
    for (const auto& c : cases) {
        INFO("ERRCODE " << c.raised);
        auto check = [&](const Error& e) {
            const auto* db = dynamic_cast<const pg::DbError*>(&e);
            REQUIRE(db);
            CHECK(db->sqlstate() == c.state);
            CHECK(e.code() == c.code);
            CHECK(std::string(e.what()) == "raised by the test");
            CHECK(e.hint() == c.hint);
        };
        on_raise(conn, c.raised, check);
        // The same inside a transaction, which is then unusable and rolled back on destruction.
        pg::Transaction tx = conn.begin();
        on_raise(tx, c.raised, check);
    }

    // Reading a result the wrong way is a bug of ours, 70, named by column.
    auto row = conn.exec("SELECT NULL::bigint AS n, NULL::float8 AS x, NULL::boolean AS b");
    for (const char* column : {"n", "x", "b"}) {
        INFO(column);
        try {
            if (std::string(column) == "n") (void)row[0].integer(column);
            if (std::string(column) == "x") (void)row[0].number(column);
            if (std::string(column) == "b") (void)row[0].boolean(column);
            FAIL("a NULL was read as a value");
        } catch (const Error& e) {
            CHECK(e.code() == Exit::internal);
            CHECK(std::string(e.what()) == fmt::format("unexpected NULL in column '{}'", column));
        }
    }
    try {
        (void)row[0].str("missing");
        FAIL("a column that the query does not return was read");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::internal);
        CHECK(std::string(e.what()) == "query result has no column 'missing'");
    }

    // The isolation a transaction asks for is the one the server gives it.
    for (auto [isolation, name] : {std::pair{pg::Isolation::read_committed, "read committed"},
                                   std::pair{pg::Isolation::repeatable_read, "repeatable read"},
                                   std::pair{pg::Isolation::serializable, "serializable"}}) {
        pg::Transaction tx = conn.begin(isolation);
        CHECK(tx.exec("SHOW transaction_isolation")[0].str(std::size_t{0}) == name);
    }

    // A statement while a COPY is open on the same transaction: libpqxx's usage error, 70.
    {
        pg::Transaction tx = conn.begin();
        tx.exec("CREATE TEMPORARY TABLE copied (a text)");
        pg::CopyIn copy = tx.copy_in("copied", {"a"});
        try {
            tx.exec("SELECT 1");
            FAIL("a statement ran while a COPY was open");
        } catch (const Error& e) {
            CHECK(e.code() == Exit::internal);
            CHECK_THAT(e.what(), Catch::StartsWith("database usage error: "));
        }
    }

    // A connection-class state: libpqxx's broken_connection, 69 naming the server.
    on_raise(conn, "08006", [](const Error& broken) {
        CHECK(broken.code() == Exit::unavailable);
        CHECK_THAT(broken.what(),
                   Catch::StartsWith("lost the connection to PostgreSQL at ") && Catch::EndsWith(": raised by the test"));
        CHECK_THAT(broken.what(), !Catch::Contains(required_env("SPOTCTL_TEST_PASSWORD")));
    });
}
