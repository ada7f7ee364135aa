// cache fix-ttl: keys of a namespace that have no TTL (a server bug, or a SET without EX) get
// the namespace's default TTL, so they stop living forever.
#include <fmt/format.h>

#include "commands/cache/cache.hpp"
#include "commands/cache/report.hpp"
#include "commands/cache/stop_signal.hpp"

namespace spotctl::cache {
namespace {

// EXPIRE ... NX (Redis 7) sets a TTL only where there is none, in one step, so a key that the
// servers rewrite meanwhile with their own TTL keeps it. A dry run asks TTL instead.
class TtlFixer : public BatchHandler {
public:
    TtlFixer(std::chrono::seconds ttl, bool apply) : ttl_(std::to_string(ttl.count())), apply_(apply) {}

    std::size_t queue(Node& node, const std::vector<std::string>& keys) override {
        std::vector<std::string> command = apply_ ? std::vector<std::string>{"EXPIRE", "", ttl_, "NX"}
                                                  : std::vector<std::string>{"TTL", ""};
        for (const auto& key : keys) {
            command[1] = key;
            node.client->append(command);
        }
        return keys.size();
    }

    void collect(Node& node, const std::vector<std::string>&, const std::vector<redis::Reply>& replies) override {
        for (const auto& r : replies) {
            if (is_redirect(r)) continue;
            if (apply_ && r.is_error() && r.str.starts_with("ERR"))
                throw Error(Exit::unavailable, fmt::format("Redis at {} refused EXPIRE ... NX: {}", node.name, r.str),
                            "cache fix-ttl needs Redis 7.0 or later");
            check_reply(r, node, apply_ ? "EXPIRE" : "TTL");
            if (r.integer != -2) ++checked_;
            if (apply_ ? r.integer == 1 : r.integer == -1) ++fixed_;
        }
    }

    std::uint64_t checked() const { return checked_; }
    std::uint64_t fixed() const { return fixed_; }

private:
    std::string ttl_;
    bool apply_;
    std::uint64_t checked_ = 0, fixed_ = 0;
};

}  // namespace

int fix_ttl(Context& ctx, const FixTtlOptions& o) {
    Registry registry = Registry::from_config(ctx.config());
    const Namespace& ns = registry.get(o.ns);
    auto ttl = o.ttl ? o.ttl : ns.ttl();
    if (!ttl)
        throw Error(Exit::usage, fmt::format("namespace {} has no default TTL", ns.name()),
                    fmt::format("give one with --ttl, or set ttl in [cache.namespaces.{}] of the configuration file", ns.name()));
    if (ttl->count() <= 0) throw Error(Exit::usage, "--ttl must be at least 1s");

    Nodes nodes = Nodes::connect(ctx);
    StopSignal stop;
    ScanOptions options = scan_options(o.limits, o.dry_run ? "checking TTLs" : "fixing TTLs");
    options.match = ns.glob();
    options.filter = [&ns](std::string_view key) { return ns.matches(key); };
    TtlFixer fixer(*ttl, !o.dry_run);
    ScanOutcome outcome = scan(nodes, options, fixer);

    if (ctx.format() == exporters::Format::json) {
        nlohmann::json report = {{"namespace", ns.name()}, {"pattern", ns.pattern()}, {"ttl_s", ttl->count()},
                                 {"dry_run", o.dry_run},   {"keys", fixer.checked()},  {"without_ttl", fixer.fixed()}};
        add_outcome(report, outcome);
        ctx.out() << report.dump(2) << '\n';
        return exit_code(outcome);
    }
    if (!ctx.options().quiet)
        ctx.out() << (o.dry_run ? fmt::format("{} of {} keys of namespace {} ({}) have no TTL and would get {}s; nothing was changed\n",
                                              fixer.fixed(), fixer.checked(), ns.name(), ns.pattern(), ttl->count())
                                : fmt::format("gave {} of {} keys of namespace {} ({}) the TTL {}s{}\n", fixer.fixed(),
                                              fixer.checked(), ns.name(), ns.pattern(), ttl->count(),
                                              format_speed(fixer.checked(), outcome)));
    if (auto note = stop_note(outcome, o.limits); !note.empty()) ctx.out() << note << '\n';
    return exit_code(outcome);
}

}  // namespace spotctl::cache
