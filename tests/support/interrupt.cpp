#include "support/interrupt.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <optional>
#include <thread>

namespace spotctl::test {
namespace {

// `what` over spotctl's own sessions (not the tests' lock holder), optionally only those waiting
// for a lock.
std::string spotctl_sessions(const char* what, bool waiting_for_lock) {
    return fmt::format("SELECT {} FROM pg_stat_activity WHERE datname = current_database() "
                       "AND application_name LIKE 'spotctl %' AND application_name NOT LIKE 'spotctl tests%'{}",
                       what, waiting_for_lock ? " AND wait_event_type = 'Lock'" : "");
}

// A second session holding the locks `lock_sql` takes, until the returned transaction ends.
struct LockHolder {
    std::unique_ptr<pg::Connection> conn;
    std::optional<pg::Transaction> tx;
};

std::unique_ptr<LockHolder> hold_locks(TempDatabase& db, const std::string& lock_sql, const pg::Params& lock_params) {
    pg::Settings settings;
    settings.url = db.url();
    settings.application_name = "spotctl tests lock holder";
    auto h = std::make_unique<LockHolder>();
    h->conn = std::make_unique<pg::Connection>(settings);
    h->tx.emplace(h->conn->begin());
    h->tx->exec(lock_sql, lock_params);
    return h;
}

}  // namespace

bool wait_for(TempDatabase& db, const std::string& sql, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    do {
        if (db.scalar(sql) == "t") return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    } while (std::chrono::steady_clock::now() < deadline);
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
    auto holder = hold_locks(db, lock_sql, lock_params);
    Background run(args);
    bool queued = wait_for(db, fmt::format("SELECT ({}) > 0", spotctl_sessions("count(*)", true)));
    // A transaction id is assigned at the first write: without one, nothing was written yet and
    // a rollback would prove nothing.
    bool wrote = db.scalar(spotctl_sessions("bool_and(backend_xid IS NOT NULL)", true)) == "t";
    if (fault == Fault::sigkill) {
        run.signal(SIGKILL);
    } else {
        db.scalar(spotctl_sessions("bool_and(pg_terminate_backend(pid))", true));
    }
    auto result = run.wait();
    holder.reset();  // rolled back
    // A killed client's backend stays until it next hears from the socket; once the lock is free
    // it finds the client gone and rolls back.
    bool gone = wait_for(db, fmt::format("SELECT ({}) = 0", spotctl_sessions("count(*)", false)));
    INFO("spotctl: exit " << result.exit_code << ", stderr: " << result.err);
    REQUIRE(queued);
    REQUIRE(wrote);
    REQUIRE(gone);
    return result;
}

RunResult interrupt_part_way(TempDatabase& db, const std::vector<std::string>& args, const std::function<bool()>& part_done,
                             Fault fault) {
    Background run(args);
    bool reached = false;
    for (int i = 0; i < 2000 && !reached; ++i) {
        reached = part_done();
        if (!reached) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    run.signal(SIGSTOP);  // nothing more happens until the fault is in place
    if (fault == Fault::sigkill) {
        run.signal(SIGKILL);
    } else {
        db.scalar(spotctl_sessions("bool_and(pg_terminate_backend(pid))", false));
        run.signal(SIGCONT);
    }
    auto result = run.wait();
    bool gone = wait_for(db, fmt::format("SELECT ({}) = 0", spotctl_sessions("count(*)", false)));
    INFO("spotctl: exit " << result.exit_code << ", stderr: " << result.err);
    REQUIRE(reached);
    REQUIRE(gone);
    return result;
}

void require_interrupted(const RunResult& result, Fault fault) {
    INFO("exit " << result.exit_code << ", stderr: " << result.err);
    if (fault == Fault::sigkill) {
        REQUIRE(result.exit_code == 128 + SIGKILL);
    } else {
        REQUIRE(result.exit_code == 69);
        REQUIRE(result.err.rfind("spotctl: error: ", 0) == 0);
    }
}

std::vector<RunResult> race_behind_lock(TempDatabase& db, const std::string& lock_sql, const pg::Params& lock_params,
                                        const std::vector<std::vector<std::string>>& runs) {
    auto holder = hold_locks(db, lock_sql, lock_params);
    std::vector<std::unique_ptr<Background>> started;
    for (const auto& args : runs) started.push_back(std::make_unique<Background>(args));
    bool queued = wait_for(db, fmt::format("SELECT ({}) = {}", spotctl_sessions("count(*)", true), runs.size()));
    holder->tx->commit();
    std::vector<RunResult> results;
    for (auto& run : started) results.push_back(run->wait());
    REQUIRE(queued);
    return results;
}

}  // namespace spotctl::test
