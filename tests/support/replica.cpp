#include "support/replica.hpp"

#include <thread>

#include "core/pg.hpp"

namespace spotctl::test {

bool replica_caught_up(TempDatabase& primary, const std::string& replica_conninfo, std::chrono::seconds limit) {
    const std::string target = primary.scalar("SELECT pg_current_wal_lsn()::text");
    // The replay position is the server's: ask in `postgres`, since the test's own database may
    // not have been replayed there yet.
    std::string server = replica_conninfo.substr(0, replica_conninfo.rfind("dbname=")) + "dbname=postgres";
    pg::Connection standby(pg::Settings{server, "spotctl tests"});
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!standby.exec("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", pg::params(target))[0].boolean(0)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

}  // namespace spotctl::test
