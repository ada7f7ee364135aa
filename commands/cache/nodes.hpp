#pragma once
// The Redis servers a cache command works on: the one the URL names, or, when that is a
// Redis Cluster node, every master of the cluster (from CLUSTER NODES), each over its own
// connection. hiredis 0.14 knows nothing of clusters, so keys are routed here by hash slot.
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/context.hpp"
#include "core/redis.hpp"
#include "core/redis_cluster.hpp"

namespace spotctl::cache {

struct Node {
    std::string id;    // the cluster node id; empty for a single Redis
    std::string name;  // where it is, for messages: redis://127.0.0.1:7000/0
    redis::Client* client = nullptr;
    std::unique_ptr<redis::Client> owned;  // connections of our own to the other masters
};

class Nodes {
public:
    // Connects to the URL's server and, for a cluster, to every master. Error(Exit::unavailable)
    // when a server is down, refuses the password, or a master is marked failed.
    static Nodes connect(Context& ctx);

    bool cluster() const { return cluster_; }
    std::vector<Node>& all() { return nodes_; }
    // The node that holds `key` (its hash slot's master in a cluster).
    Node& owner(std::string_view key);

private:
    bool cluster_ = false;
    std::vector<Node> nodes_;
    std::array<std::uint8_t, 16384> slot_owner_{};  // index into nodes_
};

// A master as CLUSTER NODES describes it.
using ClusterMaster = redis::ClusterNode;
// The masters that serve slots, from CLUSTER NODES output. Error(Exit::internal) for a line
// that cannot be read.
std::vector<ClusterMaster> parse_cluster_nodes(std::string_view text);

// The Redis Cluster hash slot of a key (CRC16/XMODEM of the key, or of its {hash tag}, mod 16384).
int key_slot(std::string_view key);

// Throws the spotctl error for an error reply from `node` to `command`: authentication (NOAUTH,
// WRONGPASS) and a server that is loading or down are 69, NOPERM is 77, anything else 70.
void check_reply(const redis::Reply& reply, const Node& node, std::string_view command);

// Whether an error reply says a key lives on another node now (MOVED, ASK, TRYAGAIN): resharding.
bool is_redirect(const redis::Reply& reply);

}  // namespace spotctl::cache
