#include "commands/cache/nodes.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace spotctl::cache {
namespace {

// CRC16/XMODEM (polynomial 0x1021, initial value 0), the checksum Redis Cluster hashes keys with.
constexpr std::array<std::uint16_t, 256> crc16_table() {
    std::array<std::uint16_t, 256> table{};
    for (unsigned byte = 0; byte < 256; ++byte) {
        std::uint16_t crc = static_cast<std::uint16_t>(byte << 8);
        for (int bit = 0; bit < 8; ++bit) crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
        table[byte] = crc;
    }
    return table;
}
constexpr auto crc16_lookup = crc16_table();

std::uint16_t crc16(std::string_view data) {
    std::uint16_t crc = 0;
    for (unsigned char c : data) crc = static_cast<std::uint16_t>((crc << 8) ^ crc16_lookup[((crc >> 8) ^ c) & 0xff]);
    return crc;
}

bool starts_with_word(std::string_view text, std::string_view word) {
    return text.starts_with(word) && (text.size() == word.size() || text[word.size()] == ' ');
}

}  // namespace

int key_slot(std::string_view key) {
    // Only the part inside the first {...} is hashed, when it is not empty.
    if (auto open = key.find('{'); open != std::string_view::npos) {
        auto close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
    }
    return crc16(key) & 16383;
}

std::vector<ClusterMaster> parse_cluster_nodes(std::string_view text) {
    std::vector<ClusterMaster> masters;
    for (auto& n : redis::parse_cluster_nodes(text))
        if (n.master && !n.slots.empty()) masters.push_back(std::move(n));
    return masters;
}

void check_reply(const redis::Reply& reply, const Node& node, std::string_view command) {
    if (!reply.is_error()) return;
    const std::string& e = reply.str;
    if (starts_with_word(e, "NOAUTH") || starts_with_word(e, "WRONGPASS"))
        throw Error(Exit::unavailable, fmt::format("Redis at {} refused {}: {}", node.name, command, e),
                    "check the password in --redis-url or REDIS_URL");
    if (starts_with_word(e, "NOPERM"))
        throw Error(Exit::no_perm, fmt::format("Redis at {} refused {}: {}", node.name, command, e),
                    "the Redis user needs the commands listed in 'man spotctl-cache' (PRIVILEGES)");
    for (std::string_view down : {"LOADING", "MASTERDOWN", "CLUSTERDOWN", "BUSY"})
        if (starts_with_word(e, down))
            throw Error(Exit::unavailable, fmt::format("Redis at {} cannot serve {} now: {}", node.name, command, e));
    throw Error(Exit::internal, fmt::format("unexpected reply from Redis at {} to {}: {}", node.name, command, e));
}

bool is_redirect(const redis::Reply& reply) {
    return reply.is_error() &&
           (starts_with_word(reply.str, "MOVED") || starts_with_word(reply.str, "ASK") || starts_with_word(reply.str, "TRYAGAIN"));
}

Nodes Nodes::connect(Context& ctx) {
    Nodes nodes;
    redis::Client& first = ctx.redis();
    Node self;
    self.name = redis::describe(first.endpoint());
    self.client = &first;
    redis::Reply reply = first.command({"CLUSTER", "NODES"});
    bool standalone = reply.is_error() && reply.str.find("cluster support disabled") != std::string::npos;
    if (reply.is_error() && reply.str.starts_with("NOPERM")) {
        // A Redis user without CLUSTER may still read INFO: a standalone Redis says so there.
        redis::Reply info = first.command({"INFO", "cluster"});
        standalone = !info.is_error() && info.str.find("cluster_enabled:0") != std::string::npos;
    }
    if (standalone) {
        nodes.nodes_.push_back(std::move(self));
        return nodes;
    }
    check_reply(reply, self, "CLUSTER NODES");

    nodes.cluster_ = true;
    nodes.slot_owner_.fill(0xff);
    auto masters = parse_cluster_nodes(reply.str);
    if (masters.empty())
        throw Error(Exit::unavailable, fmt::format("the Redis Cluster at {} has no master serving slots", self.name));
    for (const auto& m : masters) {
        redis::Endpoint endpoint = first.endpoint();
        if (!m.host.empty()) {
            endpoint.host = m.host;
            endpoint.port = m.port;
            endpoint.socket.clear();
        }
        endpoint.db = 0;
        if (m.failed)
            throw Error(Exit::unavailable,
                        fmt::format("Redis Cluster master {} at {} is marked as failing; its keys cannot be reached", m.id,
                                    redis::describe(endpoint)),
                        "wait for the cluster to fail over (CLUSTER INFO: cluster_state:ok) and try again");
        Node node;
        node.id = m.id;
        if (m.myself) {
            node.client = &first;
            node.name = self.name;
        } else {
            node.owned = std::make_unique<redis::Client>(endpoint, ctx.options().connect_timeout);
            node.client = node.owned.get();
            node.name = redis::describe(endpoint);
        }
        for (auto [lo, hi] : m.slots)
            for (int s = lo; s <= hi; ++s) nodes.slot_owner_[s] = static_cast<std::uint8_t>(nodes.nodes_.size());
        nodes.nodes_.push_back(std::move(node));
        if (nodes.nodes_.size() >= 255) throw Error(Exit::internal, "more than 254 Redis Cluster masters are not supported");
    }
    log::debug("Redis Cluster with {} master(s)", nodes.nodes_.size());
    return nodes;
}

Node& Nodes::owner(std::string_view key) {
    if (!cluster_) return nodes_.front();
    int slot = key_slot(key);
    std::uint8_t index = slot_owner_[slot];
    if (index == 0xff)
        throw Error(Exit::unavailable, fmt::format("no Redis Cluster master serves hash slot {} (key '{}')", slot, key),
                    "the cluster is incomplete: check CLUSTER INFO");
    return nodes_[index];
}

}  // namespace spotctl::cache
