#include "support/private_redis_cluster.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sstream>

#include "support/harness.hpp"

namespace spotctl::test {

PrivateRedisCluster::PrivateRedisCluster() {
    // A short node timeout: a killed master is marked as failing within seconds. The free ports
    // services.sh picks can be taken by another process before a node binds them: try again.
    RunResult r;
    for (int attempt = 0; attempt < 3 && r.exit_code != 0; ++attempt) {
        stop();
        r = run_shell(fmt::format("rm -rf {0}/redis-cluster && SPOTCTL_REDIS_CLUSTER_NODE_TIMEOUT=1000 bash -c "
                                  "'. {1}/scripts/services.sh && services_start_redis_cluster {0} && cat {0}/redis-cluster/ports' 2>&1",
                                  dir_.path().string(), SPOTCTL_SOURCE_DIR));
    }
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    r.out = r.out.substr(r.out.find_last_of('\n', r.out.size() - 2) + 1);  // the last line: the ports
    std::istringstream in(r.out);
    for (int port; in >> port;) ports_.push_back(port);
    REQUIRE(ports_.size() == 3);
}

PrivateRedisCluster::~PrivateRedisCluster() { stop(); }

void PrivateRedisCluster::stop() {
    run_shell(fmt::format("for f in {}/redis-cluster/*/redis.pid; do [ -f $f ] && kill $(cat $f) 2>/dev/null; done", dir_.path().string()));
}

std::string PrivateRedisCluster::url(std::size_t node) const { return fmt::format("redis://127.0.0.1:{}", ports_.at(node)); }

void PrivateRedisCluster::fail_master(std::size_t node) {
    const int dead = ports_.at(node), alive = ports_.at((node + 1) % ports_.size());
    REQUIRE(run_shell(fmt::format("kill -9 $(cat {}/redis-cluster/{}/redis.pid)", dir_.path().string(), dead)).exit_code == 0);
    auto marked = run_shell(fmt::format("for i in $(seq 1 600); do redis-cli -p {} cluster nodes | grep -q '127.0.0.1:{}@.* master,fail ' && exit 0; "
                                        "sleep 0.05; done; exit 1",
                                        alive, dead));
    REQUIRE(marked.exit_code == 0);
}

}  // namespace spotctl::test
