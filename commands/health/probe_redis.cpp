#include <charconv>
#include <fmt/format.h>
#include <map>
#include <sstream>

#include "commands/health/probes.hpp"
#include "core/redis.hpp"
#include "core/redis_cluster.hpp"

namespace spotctl::health {
namespace {

std::map<std::string, std::string> parse_info(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto colon = line.find(':');
        if (colon != std::string::npos) out[line.substr(0, colon)] = line.substr(colon + 1);
    }
    return out;
}

double number(const std::map<std::string, std::string>& info, const std::string& key) {
    auto it = info.find(key);
    double v = 0;
    if (it != info.end()) std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    return v;
}

Millis remaining(Deadline deadline) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    return std::max(Millis(1), left);
}

// PING and INFO of one node; the cluster's node list when it is part of one.
Probe probe_node(const redis::Endpoint& endpoint, const std::string& name, const ProbeContext& ctx,
                 std::vector<redis::Endpoint>* cluster_nodes) {
    Probe p;
    p.kind = "redis";
    p.name = name;
    p.target = redis::describe(endpoint);
    auto started = std::chrono::steady_clock::now();
    try {
        redis::Client client(endpoint, remaining(ctx.deadline));
        p.up = true;
        auto t0 = std::chrono::steady_clock::now();
        auto pong = client.command({"PING"});
        double latency = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (pong.is_error()) throw Error(Exit::unavailable, "PING failed: " + pong.str);
        add_metric(p, {"latency_ms", latency, "ms", ctx.thresholds.get("redis", "latency_ms"), State::ok});
        auto info_reply = client.command({"INFO"});
        if (info_reply.is_error()) throw Error(Exit::unavailable, "INFO failed: " + info_reply.str);
        auto info = parse_info(info_reply.str);
        double used = number(info, "used_memory"), max = number(info, "maxmemory");
        add_metric(p, {"used_memory_bytes", used, "B", {}, State::ok});
        if (max > 0) add_metric(p, {"memory_used_percent", 100.0 * used / max, "%", ctx.thresholds.get("redis", "memory_used_percent"), State::ok});
        add_metric(p, {"evicted_keys", number(info, "evicted_keys"), "c", {}, State::ok});
        add_metric(p, {"rejected_connections", number(info, "rejected_connections"), "c",
                       ctx.thresholds.get("redis", "rejected_connections"), State::ok});
        add_metric(p, {"connected_clients", number(info, "connected_clients"), "", {}, State::ok});
        std::string role = info.count("role") ? info["role"] : "unknown";
        p.summary = fmt::format("Redis {} {}, {:.1f} MiB used", info["redis_version"], role, used / 1048576.0);
        if (info["cluster_enabled"] == "1") {
            auto cluster = client.command({"CLUSTER", "INFO"});
            auto state = parse_info(cluster.str)["cluster_state"];
            add_metric(p, {"cluster_ok", state == "ok" ? 1.0 : 0.0, "", {std::nullopt, 0.5, true}, State::ok});
            p.summary += fmt::format(", cluster {}", state.empty() ? "unknown" : state);
            if (cluster_nodes) {
                for (const auto& n : redis::parse_cluster_nodes(client.command({"CLUSTER", "NODES"}).str)) {
                    if (n.myself || n.host.empty()) continue;  // the node we asked is this probe
                    redis::Endpoint node = endpoint;
                    node.socket.clear();
                    node.host = n.host;
                    node.port = n.port;
                    cluster_nodes->push_back(node);
                }
            }
        }
    } catch (const Error& e) {
        std::string why = e.what();
        p.timed_out = why.find("timed out") != std::string::npos;
        p.state = p.timed_out ? ctx.timeout_state : State::critical;
        p.summary = why;
    }
    p.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return p;
}

}  // namespace

std::vector<Probe> probe_redis(const std::string& url, const ProbeContext& ctx) {
    std::vector<Probe> out;
    redis::Endpoint endpoint;
    try {
        endpoint = redis::parse_url(url);
    } catch (const Error& e) {
        Probe p;
        p.kind = "redis";
        p.name = "redis";
        p.state = State::unknown;
        p.summary = e.what();
        out.push_back(p);
        return out;
    }
    std::vector<redis::Endpoint> nodes;
    out.push_back(probe_node(endpoint, endpoint.socket.empty() ? fmt::format("{}:{}", endpoint.host, endpoint.port) : "redis", ctx, &nodes));
    for (const auto& node : nodes) out.push_back(probe_node(node, fmt::format("{}:{}", node.host, node.port), ctx, nullptr));
    return out;
}

}  // namespace spotctl::health
