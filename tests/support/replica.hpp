#pragma once
// The test servers' streaming replicas replay everything the whole suite writes (gigabytes when
// seed generate runs at scale 10), so under load a replica can be a minute or more behind: a test
// that reads on one first waits until it has replayed what the primary had written so far.
#include <chrono>
#include <string>

#include "support/harness.hpp"

namespace spotctl::test {

// True once the replica at `replica_conninfo` has replayed the primary's WAL up to the moment of
// the call; false after `limit`.
bool replica_caught_up(TempDatabase& primary, const std::string& replica_conninfo,
                       std::chrono::seconds limit = std::chrono::minutes(5));

}  // namespace spotctl::test
