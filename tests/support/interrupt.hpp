#pragma once
// Breaking a single-transaction command at its worst moment: part-way through its work, with
// rows already changed inside its transaction. Another session holds a row lock that spotctl's
// transaction needs late; once spotctl queues behind it, the fault is injected, the lock let go,
// and the test can check that nothing of the transaction remains.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/harness.hpp"

namespace spotctl::test {

// Polls `sql` (a boolean query) until it is true; false once `limit` has passed.
bool wait_for(TempDatabase& db, const std::string& sql, std::chrono::milliseconds limit = std::chrono::seconds(10));

// A digest of every row of `tables` (names of the test's own choosing), to compare a database
// before and after a failed command: equal digests mean nothing changed.
std::string contents(TempDatabase& db, const std::vector<std::string>& tables);

enum class Fault {
    sigkill,            // the process killed (a crash, an OOM kill, a lost machine)
    terminate_backend,  // its PostgreSQL backend terminated (a failover, an operator's pg_terminate_backend)
};

// Runs spotctl with `args` while a second session holds the locks `lock_sql` takes (a
// SELECT ... FOR UPDATE or a LOCK TABLE), waits until spotctl's session waits for them, injects
// `fault`, releases the locks and waits until spotctl's session has gone. Fails the test when
// spotctl never queues behind the lock, or queues before its transaction wrote anything (holds no
// transaction id): either way it would not have been interrupted mid-transaction.
RunResult interrupt_while_blocked(TempDatabase& db, const std::string& lock_sql, const pg::Params& lock_params,
                                  const std::vector<std::string>& args, Fault fault);

// For work no lock can hold up part-way (a COPY streaming out): runs spotctl with `args` until
// `part_done()` is true (it has written part of its result), freezes it there with SIGSTOP,
// injects `fault`, lets it go on and waits until its session has gone. Fails the test when the
// work finished before `part_done()` was ever seen.
RunResult interrupt_part_way(TempDatabase& db, const std::vector<std::string>& args, const std::function<bool()>& part_done,
                             Fault fault);

// The outcome each fault must have: killed by SIGKILL, or exit 69 with one "spotctl: error:" line
// (and an optional hint) when the backend went.
void require_interrupted(const RunResult& result, Fault fault);

// Starts one spotctl per entry of `runs` while a second session holds the locks `lock_sql`
// takes, waits until all of them queue behind it, then lets them go at once: the closest two
// people clicking together can get. Returns their results in the order of `runs`.
std::vector<RunResult> race_behind_lock(TempDatabase& db, const std::string& lock_sql, const pg::Params& lock_params,
                                        const std::vector<std::vector<std::string>>& runs);

}  // namespace spotctl::test
