#pragma once
// SCAN with MATCH and COUNT over every node, handing each batch of keys to a handler whose
// commands travel in the same pipeline as the node's next SCAN: one round trip per batch and
// node, never one per key, and never KEYS. The masters of a cluster are driven together (the
// round is sent to all of them, then read from all). Paced by a rate, bounded by a run time,
// stopped by Ctrl-C, resumable from the cursor it reports.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/cache/nodes.hpp"
#include "core/duration.hpp"

namespace spotctl::cache {

struct ScanOptions {
    std::string match;                               // SCAN MATCH; empty scans every key
    std::function<bool(std::string_view)> filter;    // when set, only keys it accepts are handled
    long count = 500;                                // SCAN COUNT
    std::optional<double> rate;                      // keys handed to the handler per second
    std::optional<Millis> max_runtime;
    std::string cursor;                              // resume token from an earlier run; empty: the start
    std::string label = "scanning";                  // progress, on a terminal
    std::optional<std::uint64_t> total;              // expected keys, for the progress percentage
};

// The work for each batch of keys found on a node.
class BatchHandler {
public:
    virtual ~BatchHandler() = default;
    // Appends commands for `keys` to the node's pipeline; returns how many replies they give.
    virtual std::size_t queue(Node& node, const std::vector<std::string>& keys) = 0;
    // Those replies, in order.
    virtual void collect(Node& node, const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) = 0;
};

enum class Stop { complete, max_runtime, signal };

struct ScanOutcome {
    Stop stop = Stop::complete;
    int signal = 0;             // with Stop::signal
    std::string resume_cursor;  // when stopped early: pass it as --cursor to go on
    std::uint64_t scanned = 0;  // keys SCAN returned
    std::uint64_t handled = 0;  // keys given to the handler
    Millis elapsed{0};
};

ScanOutcome scan(Nodes& nodes, const ScanOptions& options, BatchHandler& handler);

// Resume tokens: a single Redis's SCAN cursor ("1234"), or for a cluster one "NODEID:CURSOR"
// per master, with "done" for a master that was scanned to the end.
struct NodeCursor {
    std::string node_id;
    std::string cursor;  // decimal, or "done"
};
std::string format_cursor(const std::vector<NodeCursor>& cursors, bool cluster);
// The cursor for each of `node_ids`, in that order. Error(Exit::usage) when the token is
// malformed or names other masters than the cluster has now.
std::vector<std::string> parse_cursor(std::string_view token, const std::vector<std::string>& node_ids, bool cluster);

}  // namespace spotctl::cache
