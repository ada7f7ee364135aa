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

int invalidate(Context& ctx, const InvalidateOptions& o) {
    std::string_view entity = entity_name(o.entity);
    if (o.entity == Entity::none) throw Error(Exit::usage, "give --charger ID or --user ID");
    if (!is_uuid(o.id))
        throw Error(Exit::usage, fmt::format("invalid {} id '{}': expected a UUID", entity, o.id),
                    "such as 0b6f3c1e-8a2d-4c55-9e0f-1f2a3b4c5d6e, as in the database");
    Registry registry = Registry::from_config(ctx.config());
    Nodes nodes = Nodes::connect(ctx);

    auto writer = ctx.writer();
    writer->begin({{"namespace"}, {"keys"}, {"found", exporters::CellType::integer}, {"removed", exporters::CellType::integer}});
    std::uint64_t found = 0, removed = 0;
    for (const Namespace* ns : registry.owned_by(o.entity)) {
        KeyRemover remover(nodes.cluster(), !o.dry_run);
        auto keys = ns->keys_of(o.id);
        if (keys.exact_key) {
            run_on_keys(nodes, {*keys.exact_key}, remover);
        } else {
            ScanLimits limits;
            limits.count = o.count;
            ScanOptions options = scan_options(limits, fmt::format("scanning {}", ns->name()));
            options.match = keys.glob;
            options.filter = [ns](std::string_view key) { return ns->matches(key); };
            scan(nodes, options, remover);
        }
        writer->row({ns->name(), keys.exact_key.value_or(keys.glob), std::to_string(remover.found()),
                     std::to_string(remover.removed())});
        found += remover.found();
        removed += remover.removed();
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << (o.dry_run ? fmt::format("\n{} keys of {} {} found; nothing was changed\n", found, entity, o.id)
                                : fmt::format("\nremoved {} keys of {} {}\n", removed, entity, o.id));
    return 0;
}

}  // namespace spotctl::cache
