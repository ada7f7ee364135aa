#include "commands/cache/scanner.hpp"

#include <algorithm>
#include <deque>
#include <fmt/format.h>
#include <thread>

#include "commands/cache/stop_signal.hpp"
#include "core/errors.hpp"
#include "core/parse_number.hpp"
#include "core/progress.hpp"

namespace spotctl::cache {
namespace {

using Clock = std::chrono::steady_clock;

bool is_cursor_number(std::string_view text) {
    return parse_number<unsigned long long>(text).has_value();
}

// Keys one SCAN reply brought, with the cursor that SCAN was sent with.
struct Batch {
    std::string source;
    std::vector<std::string> keys;
    std::size_t next = 0;  // keys[next...] are not queued yet
};

// A reply (group) the node still owes us, in the order the commands were sent.
struct Expected {
    bool scan = false;
    std::string cursor;             // SCAN: the cursor it was sent with
    std::vector<std::string> keys;  // work: the keys it covers
    std::size_t replies = 1;
};

struct NodeState {
    Node* node = nullptr;
    std::string cursor = "0";  // the next SCAN's cursor
    bool scanned_all = false;  // a SCAN answered cursor 0
    bool scan_in_flight = false;
    bool work_in_flight = false;
    std::deque<Batch> batches;
    std::deque<Expected> expected;

    std::size_t unqueued() const {
        std::size_t n = 0;
        for (const auto& b : batches) n += b.keys.size() - b.next;
        return n;
    }
    // Scanning again from here finds every key not handled yet (once nothing is in flight).
    std::string resume() const {
        if (!batches.empty()) return batches.front().source;
        return scanned_all ? "done" : cursor;
    }
    bool finished() const { return scanned_all && batches.empty() && expected.empty(); }
};

class Pacer {
public:
    Pacer(const ScanOptions& o, Clock::time_point start) : options_(o), start_(start) {}

    bool should_stop(ScanOutcome& outcome) const {
        if (auto sig = StopSignal::received()) {
            outcome.stop = Stop::signal;
            outcome.signal = *sig;
            return true;
        }
        if (options_.max_runtime && Clock::now() - start_ >= *options_.max_runtime) {
            outcome.stop = Stop::max_runtime;
            return true;
        }
        return false;
    }

    // Without a rate, a whole SCAN batch goes in one pipeline; with one, about a tenth of a
    // second's worth of keys at a time, so the load is spread out.
    std::size_t chunk_limit() const {
        if (!options_.rate) return 0;
        return static_cast<std::size_t>(std::clamp(*options_.rate / 10, 1.0, static_cast<double>(options_.count)));
    }

    // Waits until handing over `n` more keys keeps to the rate. False when asked to stop
    // meanwhile: then the keys stay where they are, for the resume cursor to cover.
    bool wait_for(std::size_t n) {
        if (options_.rate) {
            auto due = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((sent_ + n) / *options_.rate));
            ScanOutcome ignored;
            while (Clock::now() < due) {
                if (should_stop(ignored)) return false;
                std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(100)));
            }
        }
        sent_ += n;
        return true;
    }

private:
    const ScanOptions& options_;
    Clock::time_point start_;
    std::uint64_t sent_ = 0;
};

void read_scan_reply(NodeState& s, const Expected& sent, const ScanOptions& options, ScanOutcome& outcome) {
    redis::Reply reply = s.node->client->read_reply();
    check_reply(reply, *s.node, "SCAN");
    if (reply.type != redis::Reply::Type::array || reply.elements.size() != 2 ||
        reply.elements[1].type != redis::Reply::Type::array || !is_cursor_number(reply.elements[0].str))
        throw Error(Exit::internal, fmt::format("unexpected reply from Redis at {} to SCAN", s.node->name));
    s.scan_in_flight = false;
    s.cursor = reply.elements[0].str;
    s.scanned_all = s.cursor == "0";
    outcome.scanned += reply.elements[1].elements.size();
    Batch batch{sent.cursor, {}, 0};
    for (auto& key : reply.elements[1].elements)
        if (!options.filter || options.filter(key.str)) batch.keys.push_back(std::move(key.str));
    if (!batch.keys.empty()) s.batches.push_back(std::move(batch));
}

}  // namespace

// Each node keeps one SCAN and one batch of work in flight. As soon as a SCAN's reply is in,
// the next SCAN is queued ahead of the work for the keys it brought, so the server runs one
// command while we read the reply of the other: it never waits for us.
ScanOutcome scan(Nodes& nodes, const ScanOptions& options, BatchHandler& handler) {
    std::vector<NodeState> states;
    std::vector<std::string> ids;
    for (auto& n : nodes.all()) {
        NodeState s;
        s.node = &n;
        states.push_back(std::move(s));
        ids.push_back(n.id);
    }
    if (!options.cursor.empty()) {
        auto cursors = parse_cursor(options.cursor, ids, nodes.cluster());
        for (std::size_t i = 0; i < states.size(); ++i) {
            states[i].scanned_all = cursors[i] == "done";
            states[i].cursor = states[i].scanned_all ? "0" : cursors[i];
        }
    }

    ScanOutcome outcome;
    auto start = Clock::now();
    Pacer pacer(options, start);
    Progress progress(options.label, options.total, "keys");
    std::vector<std::string> scan_command = {"SCAN", "0"};
    if (!options.match.empty()) scan_command.insert(scan_command.end(), {"MATCH", options.match});
    scan_command.insert(scan_command.end(), {"COUNT", std::to_string(options.count)});
    // Without a rate, the keys of one SCAN may wait while the previous batch is in flight; with
    // one, the next SCAN waits until every key found so far is queued.
    const std::size_t backlog = pacer.chunk_limit() ? 0 : static_cast<std::size_t>(options.count) * 4;

    auto issue = [&](NodeState& s) {
        std::size_t take = s.work_in_flight ? 0 : pacer.chunk_limit() ? std::min(pacer.chunk_limit(), s.unqueued()) : s.unqueued();
        if (take > 0 && !pacer.wait_for(take)) return;
        std::vector<std::string> chunk;
        while (chunk.size() < take) {
            auto& b = s.batches.front();
            std::size_t n = std::min(take - chunk.size(), b.keys.size() - b.next);
            auto first = b.keys.begin() + static_cast<std::ptrdiff_t>(b.next);
            chunk.insert(chunk.end(), std::make_move_iterator(first), std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
            b.next += n;
            if (b.next == b.keys.size()) s.batches.pop_front();
        }
        if (!s.scan_in_flight && !s.scanned_all && s.unqueued() <= backlog) {
            scan_command[1] = s.cursor;
            s.node->client->append(scan_command);
            s.expected.push_back({true, s.cursor, {}, 1});
            s.scan_in_flight = true;
        }
        if (!chunk.empty()) {
            std::size_t replies = handler.queue(*s.node, chunk);
            s.expected.push_back({false, {}, std::move(chunk), replies});
            s.work_in_flight = true;
        }
    };
    auto read_one = [&](NodeState& s) {
        Expected e = std::move(s.expected.front());
        s.expected.pop_front();
        if (e.scan) {
            read_scan_reply(s, e, options, outcome);
            return;
        }
        std::vector<redis::Reply> replies;
        replies.reserve(e.replies);
        for (std::size_t i = 0; i < e.replies; ++i) replies.push_back(s.node->client->read_reply());
        handler.collect(*s.node, e.keys, replies);
        s.work_in_flight = false;
        outcome.handled += e.keys.size();
        progress.advance(e.keys.size());
    };

    bool stopping = false;
    for (;;) {
        // Once asked to stop, nothing new is sent; what is in flight is still read.
        if (!stopping) stopping = pacer.should_stop(outcome);
        bool pending = false;
        for (auto& s : states) {
            if (!stopping) issue(s);
            if (s.expected.empty()) continue;
            s.node->client->flush();
            pending = true;
        }
        if (!pending) break;
        for (auto& s : states)
            if (!s.expected.empty()) read_one(s);
    }
    progress.finish();
    outcome.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
    if (std::all_of(states.begin(), states.end(), [](const NodeState& s) { return s.finished(); })) {
        outcome.stop = Stop::complete;
    } else {
        std::vector<NodeCursor> cursors;
        cursors.reserve(states.size());
        for (const auto& s : states) cursors.push_back({s.node->id, s.resume()});
        outcome.resume_cursor = format_cursor(cursors, nodes.cluster());
    }
    return outcome;
}

std::string format_cursor(const std::vector<NodeCursor>& cursors, bool cluster) {
    if (!cluster) return cursors.empty() ? "0" : cursors.front().cursor;
    std::string out;
    for (const auto& c : cursors) out += fmt::format("{}{}:{}", out.empty() ? "" : ",", c.node_id, c.cursor);
    return out;
}

std::vector<std::string> parse_cursor(std::string_view token, const std::vector<std::string>& node_ids, bool cluster) {
    auto bad = [&](std::string_view why) {
        return Error(Exit::usage, fmt::format("invalid --cursor '{}': {}", token, why),
                     "pass the cursor exactly as the stopped run printed it, or leave --cursor out to start again");
    };
    if (!cluster) {
        if (!is_cursor_number(token)) throw bad("a Redis SCAN cursor is a number");
        return {std::string(token)};
    }
    std::vector<std::string> out(node_ids.size());
    std::size_t seen = 0;
    std::string_view rest = token;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        auto colon = item.find(':');
        if (colon == std::string_view::npos) throw bad("a Redis Cluster cursor is NODEID:CURSOR for each master");
        auto id = item.substr(0, colon), cursor = item.substr(colon + 1);
        if (cursor != "done" && !is_cursor_number(cursor)) throw bad(fmt::format("'{}' is not a SCAN cursor", cursor));
        auto it = std::find(node_ids.begin(), node_ids.end(), id);
        if (it == node_ids.end())
            throw bad(fmt::format("the cluster has no master {} now (masters changed since the cursor was printed)", id));
        auto& slot = out[static_cast<std::size_t>(it - node_ids.begin())];
        if (!slot.empty()) throw bad(fmt::format("master {} appears twice", id));
        slot = std::string(cursor);
        ++seen;
    }
    if (seen != node_ids.size()) throw bad("it does not name every master of the cluster (masters changed since it was printed)");
    return out;
}

}  // namespace spotctl::cache
