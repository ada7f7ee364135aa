// cache stats and cache namespaces: what is in the cache, by namespace of the key registry.
#include <fmt/format.h>
#include <map>

#include "commands/cache/cache.hpp"
#include "commands/cache/report.hpp"

namespace spotctl::cache {
namespace {

using exporters::CellType;

// Memory is measured with MEMORY USAGE on the first keys of each namespace the scan meets;
// SCAN visits keys in hash order, so they are a fair sample.
constexpr std::uint64_t memory_samples = 1000;

struct Totals {
    std::uint64_t keys = 0, no_ttl = 0, sampled = 0, sampled_bytes = 0, reserved = 0;
    std::uint64_t memory() const {
        if (sampled == 0) return 0;
        if (sampled >= keys) return sampled_bytes;
        return static_cast<std::uint64_t>(static_cast<double>(sampled_bytes) / static_cast<double>(sampled) * static_cast<double>(keys));
    }
};

class StatsCollector : public BatchHandler {
public:
    explicit StatsCollector(const Registry& registry) : registry_(registry), totals_(registry.namespaces().size() + 1) {}

    std::size_t queue(Node& node, const std::vector<std::string>& keys) override {
        auto& plan = plans_[&node];
        plan.clear();
        std::size_t replies = 0;
        std::vector<std::string> ttl = {"TTL", ""}, memory = {"MEMORY", "USAGE", ""};
        for (const auto& key : keys) {
            std::size_t index = namespace_index(key);
            bool sample = totals_[index].reserved < memory_samples;
            ttl[1] = key;
            node.client->append(ttl);
            ++replies;
            if (sample) {
                ++totals_[index].reserved;
                memory[2] = key;
                node.client->append(memory);
                ++replies;
            }
            plan.push_back({index, sample});
        }
        return replies;
    }

    void collect(Node& node, const std::vector<std::string>&, const std::vector<redis::Reply>& replies) override {
        std::size_t r = 0;
        for (const auto& [index, sample] : plans_[&node]) {
            const auto& ttl = replies[r++];
            check_reply(ttl, node, "TTL");
            const redis::Reply* memory = sample ? &replies[r++] : nullptr;
            if (memory) check_reply(*memory, node, "MEMORY USAGE");
            if (ttl.integer == -2) continue;  // gone since SCAN saw it
            auto& t = totals_[index];
            ++t.keys;
            if (ttl.integer == -1) ++t.no_ttl;
            if (memory && memory->type == redis::Reply::Type::integer) {
                ++t.sampled;
                t.sampled_bytes += static_cast<std::uint64_t>(memory->integer);
            }
        }
    }

    const std::vector<Totals>& totals() const { return totals_; }  // the last one: unknown keys

private:
    std::size_t namespace_index(const std::string& key) const {
        const Namespace* ns = registry_.classify(key);
        return ns ? static_cast<std::size_t>(ns - registry_.namespaces().data()) : registry_.namespaces().size();
    }

    struct Planned {
        std::size_t index;
        bool sample;
    };
    const Registry& registry_;
    std::vector<Totals> totals_;
    std::map<const Node*, std::vector<Planned>> plans_;
};

exporters::Cell ttl_cell(const std::optional<std::chrono::seconds>& ttl) {
    if (!ttl) return std::nullopt;
    return std::to_string(ttl->count());
}

}  // namespace

int namespaces(Context& ctx) {
    Registry registry = Registry::from_config(ctx.config());
    auto writer = ctx.writer();
    writer->begin({{"namespace"}, {"pattern"}, {"entity"}, {"default_ttl_s", CellType::integer}, {"match"}, {"source"}});
    for (const auto& n : registry.namespaces())
        writer->row({n.name(), n.pattern(), std::string(entity_name(n.entity())), ttl_cell(n.ttl()), n.glob(), n.source()});
    writer->end();
    return 0;
}

int stats(Context& ctx, long count) {
    Registry registry = Registry::from_config(ctx.config());
    Nodes nodes = Nodes::connect(ctx);
    std::uint64_t dbsize = 0;
    for (auto& n : nodes.all()) {
        auto r = n.client->command({"DBSIZE"});
        check_reply(r, n, "DBSIZE");
        dbsize += static_cast<std::uint64_t>(r.integer);
    }
    StatsCollector collector(registry);
    ScanLimits limits;
    limits.count = count;
    ScanOptions options = scan_options(limits, "scanning");
    options.total = dbsize;
    ScanOutcome outcome = scan(nodes, options, collector);

    auto writer = ctx.writer();
    writer->begin({{"namespace"},
                   {"pattern"},
                   {"keys", CellType::integer},
                   {"without_ttl", CellType::integer},
                   {"memory_bytes", CellType::integer},
                   {"memory_sampled", CellType::integer},
                   {"default_ttl_s", CellType::integer}});
    std::uint64_t keys = 0, memory = 0;
    const auto& totals = collector.totals();
    for (std::size_t i = 0; i < totals.size(); ++i) {
        const auto& t = totals[i];
        keys += t.keys;
        memory += t.memory();
        auto row = [&](exporters::Cell name, exporters::Cell pattern, exporters::Cell ttl) {
            writer->row({std::move(name), std::move(pattern), std::to_string(t.keys), std::to_string(t.no_ttl),
                         std::to_string(t.memory()), std::to_string(t.sampled), std::move(ttl)});
        };
        if (i < registry.namespaces().size()) {
            const auto& n = registry.namespaces()[i];
            row(n.name(), n.pattern(), ttl_cell(n.ttl()));
        } else {
            row("(unknown)", std::nullopt, std::nullopt);
        }
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << fmt::format("\n{} keys ({}) on {} Redis node(s), scanned{}; memory from MEMORY USAGE of up to {} keys per namespace\n",
                                 keys, format_bytes(memory), nodes.all().size(), format_speed(outcome.scanned, outcome),
                                 memory_samples);
    return 0;
}

}  // namespace spotctl::cache
