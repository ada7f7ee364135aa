#include "commands/cache/key_remover.hpp"

#include <map>
#include <unordered_map>

namespace spotctl::cache {
namespace {
constexpr std::size_t sample_size = 10;
}

std::vector<std::vector<std::string>> KeyRemover::unlink_groups(const std::vector<std::string>& keys) const {
    if (!cluster_) return {keys};
    std::vector<std::vector<std::string>> groups;
    std::unordered_map<int, std::size_t> by_slot;
    for (const auto& key : keys) {
        auto [it, fresh] = by_slot.try_emplace(key_slot(key), groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(key);
    }
    return groups;
}

namespace {
// The keys to measure: the first thousand of the run, then one in 64 (exact for small purges,
// a large sample for big ones).
bool measured(std::uint64_t position) { return position < 1000 || position % 64 == 0; }
}  // namespace

std::uint64_t KeyRemover::memory() const {
    if (measured_ == 0) return 0;
    return static_cast<std::uint64_t>(static_cast<double>(measured_bytes_) / static_cast<double>(measured_) *
                                      static_cast<double>(found()));
}

std::size_t KeyRemover::queue(Node& node, const std::vector<std::string>& keys) {
    std::size_t replies = 0;
    std::uint64_t first = first_position_[&node] = seen_;
    seen_ += keys.size();
    std::vector<std::string> command = {"MEMORY", "USAGE", ""};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!measured(first + i)) continue;
        command[2] = keys[i];
        node.client->append(command);
        ++replies;
    }
    for (auto& group : unlink_groups(keys)) {
        group.insert(group.begin(), remove_ ? "UNLINK" : "EXISTS");
        node.client->append(group);
        ++replies;
    }
    return replies;
}

void KeyRemover::collect(Node& node, const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) {
    std::size_t r = 0;
    std::uint64_t first = first_position_[&node];
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!measured(first + i)) continue;
        const auto& reply = replies[r++];
        if (is_redirect(reply)) continue;
        check_reply(reply, node, "MEMORY USAGE");
        if (reply.type != redis::Reply::Type::integer) continue;  // nil: gone (expired or removed by someone else)
        ++measured_;
        measured_bytes_ += static_cast<std::uint64_t>(reply.integer);
        if (sample_.size() < sample_size) sample_.push_back(keys[i]);
    }
    for (const auto& group : unlink_groups(keys)) {
        const auto& reply = replies[r++];
        if (is_redirect(reply)) {
            moved_ += group.size();
            continue;
        }
        check_reply(reply, node, remove_ ? "UNLINK" : "EXISTS");
        (remove_ ? removed_ : existing_) += static_cast<std::uint64_t>(reply.integer);
    }
}

void run_on_keys(Nodes& nodes, const std::vector<std::string>& keys, BatchHandler& handler) {
    std::map<Node*, std::vector<std::string>> by_node;
    for (const auto& key : keys) by_node[&nodes.owner(key)].push_back(key);
    std::vector<std::size_t> replies;
    replies.reserve(by_node.size());
    for (auto& [node, node_keys] : by_node) replies.push_back(handler.queue(*node, node_keys));
    std::size_t i = 0;
    for (auto& [node, node_keys] : by_node) {
        std::vector<redis::Reply> got;
        got.reserve(replies[i]);
        for (std::size_t n = 0; n < replies[i]; ++n) got.push_back(node->client->read_reply());
        handler.collect(*node, node_keys, got);
        ++i;
    }
}

}  // namespace spotctl::cache
