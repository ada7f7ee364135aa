#pragma once
// Reading a Redis Cluster's topology from CLUSTER NODES (hiredis 0.14 knows nothing of
// clusters): `cache` routes keys to the masters, `health` probes every node.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spotctl::redis {

struct ClusterNode {
    std::string id;
    std::string host;  // empty when the node does not know its own address yet
    int port = 0;
    bool myself = false;
    bool master = false;
    bool failed = false;                     // flagged fail or fail?
    std::vector<std::pair<int, int>> slots;  // inclusive ranges (masters only)
};

// Every node with an address (not noaddr, not in handshake), in the order listed.
// Error(Exit::internal) for a line that cannot be read.
std::vector<ClusterNode> parse_cluster_nodes(std::string_view text);

}  // namespace spotctl::redis
