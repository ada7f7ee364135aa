#include "support/replica.hpp"

#include <thread>

#include "core/pg.hpp"

namespace spotctl::test {

bool replica_caught_up(TempDatabase& primary, const std::string& replica_conninfo, std::chrono::seconds limit) {
    const std::string target = primary.scalar("SELECT pg_current_wal_lsn()::text");
    pg::Connection standby(pg::Settings{replica_conninfo, "spotctl tests"});
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!standby.exec("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", pg::params(target))[0].boolean(0)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

}  // namespace spotctl::test
