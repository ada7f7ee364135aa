#pragma once
// Removes (or, in a dry run, only counts) batches of keys with UNLINK (which frees big values
// in the background, unlike DEL) or EXISTS, one command for a whole batch. In a cluster one
// command may only name keys of one hash slot, so the keys are grouped by slot; everything
// still goes in one pipeline per batch. The memory freed comes from MEMORY USAGE of the first
// thousand keys and of one in 64 after that: measuring every key would cost the server a
// quarter more time.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "commands/cache/scanner.hpp"

namespace spotctl::cache {

class KeyRemover : public BatchHandler {
public:
    KeyRemover(bool cluster, bool remove) : cluster_(cluster), remove_(remove) {}

    std::size_t queue(Node& node, const std::vector<std::string>& keys) override;
    void collect(Node& node, const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) override;

    std::uint64_t found() const { return remove_ ? removed_ : existing_; }  // keys that existed
    std::uint64_t removed() const { return removed_; }  // UNLINK's count
    std::uint64_t memory() const;                       // bytes, estimated from the sample
    std::uint64_t moved() const { return moved_; }      // keys whose slot moved to another master meanwhile
    const std::vector<std::string>& sample() const { return sample_; }  // some keys found

private:
    std::vector<std::vector<std::string>> unlink_groups(const std::vector<std::string>& keys) const;

    bool cluster_;
    bool remove_;
    std::uint64_t existing_ = 0, removed_ = 0, moved_ = 0;
    std::uint64_t measured_ = 0, measured_bytes_ = 0;
    std::uint64_t seen_ = 0;                                // keys queued so far
    std::map<const Node*, std::uint64_t> first_position_;  // of the batch in flight on each node
    std::vector<std::string> sample_;
};

// Hands `keys` to `handler`, each on the node that holds it: one pipeline per node.
void run_on_keys(Nodes& nodes, const std::vector<std::string>& keys, BatchHandler& handler);

}  // namespace spotctl::cache
