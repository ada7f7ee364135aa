#include "core/redis_cluster.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/parse_number.hpp"

namespace spotctl::redis {
namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto pos = text.find(sep);
        auto item = text.substr(0, pos);
        if (!item.empty()) out.push_back(item);
        if (pos == std::string_view::npos) break;
        text.remove_prefix(pos + 1);
    }
    return out;
}

int to_int(std::string_view text, std::string_view line) {
    auto v = parse_number<int>(text);
    if (!v) throw Error(Exit::internal, fmt::format("cannot read CLUSTER NODES line '{}': '{}' is not a number", line, text));
    return *v;
}

}  // namespace

std::vector<ClusterNode> parse_cluster_nodes(std::string_view text) {
    std::vector<ClusterNode> nodes;
    for (auto line : split(text, '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        auto fields = split(line, ' ');
        if (fields.empty()) continue;
        if (fields.size() < 8) throw Error(Exit::internal, fmt::format("cannot read CLUSTER NODES line '{}'", line));
        auto flags = split(fields[2], ',');
        auto has = [&](std::string_view f) { return std::find(flags.begin(), flags.end(), f) != flags.end(); };
        if (has("noaddr") || has("handshake")) continue;
        ClusterNode n;
        n.id = std::string(fields[0]);
        n.myself = has("myself");
        n.master = has("master");
        n.failed = has("fail") || has("fail?");
        // ip:port@cport[,hostname]; the ip may be IPv6 (the port follows the last ':').
        auto address = fields[1].substr(0, fields[1].find_first_of("@,"));
        auto colon = address.rfind(':');
        if (colon == std::string_view::npos) throw Error(Exit::internal, fmt::format("cannot read CLUSTER NODES line '{}'", line));
        n.host = std::string(address.substr(0, colon));
        n.port = to_int(address.substr(colon + 1), line);
        for (std::size_t i = 8; i < fields.size(); ++i) {
            auto slot = fields[i];
            if (slot.starts_with("[")) continue;  // a slot being imported or migrated
            auto dash = slot.find('-');
            int first = to_int(slot.substr(0, dash), line);
            int last = dash == std::string_view::npos ? first : to_int(slot.substr(dash + 1), line);
            if (first < 0 || last > 16383 || first > last)
                throw Error(Exit::internal, fmt::format("cannot read CLUSTER NODES line '{}': bad slot range '{}'", line, slot));
            n.slots.emplace_back(first, last);
        }
        nodes.push_back(std::move(n));
    }
    return nodes;
}

}  // namespace spotctl::redis
