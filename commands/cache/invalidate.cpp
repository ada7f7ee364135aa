// cache invalidate: drops every key the registry says belongs to one charger or user, as the
// servers do after an admin change.
#include <fmt/format.h>

#include "commands/cache/cache.hpp"
#include "commands/cache/key_remover.hpp"
#include "commands/cache/report.hpp"

namespace spotctl::cache {
namespace {

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
        if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

}  // namespace

std::vector<EntityKeysRemoved> remove_entity_keys(Context& ctx, Entity entity, const std::string& id, bool dry_run,
                                                  long count) {
    std::string_view name = entity_name(entity);
    if (entity == Entity::none) throw Error(Exit::usage, "give --charger ID or --user ID");
    if (!is_uuid(id))
        throw Error(Exit::usage, fmt::format("invalid {} id '{}': expected a UUID", name, id),
                    "such as 0b6f3c1e-8a2d-4c55-9e0f-1f2a3b4c5d6e, as in the database");
    Registry registry = Registry::from_config(ctx.config());
    Nodes nodes = Nodes::connect(ctx);
    std::vector<EntityKeysRemoved> out;
    for (const Namespace* ns : registry.owned_by(entity)) {
        KeyRemover remover(nodes.cluster(), !dry_run);
        auto keys = ns->keys_of(id);
        if (keys.exact_key) {
            run_on_keys(nodes, {*keys.exact_key}, remover);
        } else {
            ScanLimits limits;
            limits.count = count;
            ScanOptions options = scan_options(limits, fmt::format("scanning {}", ns->name()));
            options.match = keys.glob;
            options.filter = [ns](std::string_view key) { return ns->matches(key); };
            scan(nodes, options, remover);
        }
        out.push_back({ns->name(), keys.exact_key.value_or(keys.glob), remover.found(), remover.removed()});
    }
    return out;
}

EntityKeysRemoved remove_session_keys(Context& ctx, const std::vector<std::string>& token_hashes, bool dry_run) {
    EntityKeysRemoved out{"session", fmt::format("{} session key(s)", token_hashes.size())};
    if (token_hashes.empty()) return out;
    Nodes nodes = Nodes::connect(ctx);
    KeyRemover remover(nodes.cluster(), !dry_run);
    constexpr std::size_t batch = 1000;  // one pipeline per node per batch
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < token_hashes.size(); ++i) {
        keys.push_back(rulebook::session_key(token_hashes[i]));
        if (keys.size() == batch || i + 1 == token_hashes.size()) {
            run_on_keys(nodes, keys, remover);
            keys.clear();
        }
    }
    out.found = remover.found();
    out.removed = remover.removed();
    return out;
}

int invalidate(Context& ctx, const InvalidateOptions& o) {
    auto results = remove_entity_keys(ctx, o.entity, o.id, o.dry_run, o.count);
    auto writer = ctx.writer();
    writer->begin({{"namespace"}, {"keys"}, {"found", exporters::CellType::integer}, {"removed", exporters::CellType::integer}});
    std::uint64_t found = 0, removed = 0;
    for (const auto& r : results) {
        writer->row({r.ns, r.keys, std::to_string(r.found), std::to_string(r.removed)});
        found += r.found;
        removed += r.removed;
    }
    writer->end();
    std::string_view entity = entity_name(o.entity);
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << (o.dry_run ? fmt::format("\n{} keys of {} {} found; nothing was changed\n", found, entity, o.id)
                                : fmt::format("\nremoved {} keys of {} {}\n", removed, entity, o.id));
    return 0;
}

}  // namespace spotctl::cache
