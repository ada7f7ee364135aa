#include "support/interrupt.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

namespace spotctl::test {

bool wait_for(TempDatabase& db, const std::string& sql) {
    for (int i = 0; i < 400; ++i) {
        if (db.scalar(sql) == "t") return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
}

std::string contents(TempDatabase& db, const std::vector<std::string>& tables) {
    std::string digest;
    for (const auto& t : tables)
        digest += t + ":" + db.scalar("SELECT count(*) || ',' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM " + t + " t") + " ";
    return digest;
}

RunResult interrupt_while_blocked(TempDatabase& db, const std::string& lock_sql, const pg::Params& lock_params,
                                  const std::vector<std::string>& args, Fault fault) {
    pg::Settings settings;
    settings.url = db.url();
    settings.application_name = "spotctl tests lock holder";
    pg::Connection holder(settings);
    std::optional<pg::Transaction> hold(holder.begin());
    hold->exec(lock_sql, lock_params);
    Background run(args);
    const std::string waiting =
        "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name LIKE 'spotctl %' AND application_name NOT LIKE 'spotctl tests%' AND wait_event_type = 'Lock'";
    bool queued = wait_for(db, waiting);
    if (fault == Fault::sigkill) {
        run.signal(SIGKILL);
    } else {
        db.scalar("SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND application_name LIKE 'spotctl %' AND application_name NOT LIKE 'spotctl tests%' AND wait_event_type = 'Lock'");
    }
    auto result = run.wait();
    hold.reset();  // rolled back
    // A killed client's backend stays until it next hears from the socket; once the lock is free
    // it finds the client gone and rolls back.
    bool gone = wait_for(db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() "
                             "AND application_name LIKE 'spotctl %' AND application_name NOT LIKE 'spotctl tests%'");
    INFO("spotctl: exit " << result.exit_code << ", stderr: " << result.err);
    REQUIRE(queued);
    REQUIRE(gone);
    return result;
}

}  // namespace spotctl::test
