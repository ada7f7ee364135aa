#pragma once
// A three-master Redis Cluster of one test case's own (started by scripts/services.sh, as the
// shared one), for tests that stop a master: the shared cluster must stay whole for the others.
// Stopped at the end of the test case.
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace spotctl::test {

class PrivateRedisCluster {
public:
    PrivateRedisCluster();
    ~PrivateRedisCluster();
    PrivateRedisCluster(const PrivateRedisCluster&) = delete;
    PrivateRedisCluster& operator=(const PrivateRedisCluster&) = delete;

    const std::vector<int>& ports() const { return ports_; }
    std::string url(std::size_t node = 0) const;
    // Kills master `node` and waits until the other masters mark it as failing (CLUSTER NODES
    // flag "fail"); fails the test when they never do.
    void fail_master(std::size_t node);

private:
    void stop();  // every node still running

    TempDir dir_;
    std::vector<int> ports_;
};

}  // namespace spotctl::test
