// cache purge: removes the keys of a namespace or a glob, by SCAN and pipelined UNLINK.
#include <fmt/format.h>

#include "commands/cache/cache.hpp"
#include "commands/cache/key_remover.hpp"
#include "commands/cache/report.hpp"
#include "commands/cache/stop_signal.hpp"
#include "core/job_lock.hpp"
#include "core/log.hpp"

namespace spotctl::cache {
namespace {

struct Target {
    std::string description;  // for messages
    std::string glob;         // what SCAN matches ("" for every key)
    const Namespace* ns = nullptr;
};

Target choose_target(const Registry& registry, const PurgeOptions& o) {
    int given = (o.ns.empty() ? 0 : 1) + (o.pattern.empty() ? 0 : 1) + (o.all ? 1 : 0);
    if (given != 1)
        throw Error(Exit::usage, given == 0 ? "nothing to purge: give a NAMESPACE, --pattern GLOB or --all"
                                            : "give only one of NAMESPACE, --pattern GLOB and --all",
                    "see 'spotctl cache namespaces' for the namespaces");
    Target t;
    bool everything = o.all;
    if (!o.ns.empty()) {
        t.ns = &registry.get(o.ns);
        t.glob = t.ns->glob();
        t.description = fmt::format("namespace {} ({})", t.ns->name(), t.ns->pattern());
    } else if (!o.pattern.empty()) {
        validate_glob(o.pattern);
        everything = glob_matches_everything(o.pattern);
        if (everything && !o.all)
            throw Error(Exit::usage, fmt::format("pattern '{}' matches every key", o.pattern),
                        "to empty the whole cache, say so: --all --yes");
        t.glob = everything ? "" : o.pattern;
        t.description = fmt::format("pattern '{}'", o.pattern);
    } else {
        t.description = "every key";
    }
    if (everything && !o.yes && !o.dry_run)
        throw Error(Exit::usage, "refusing to remove every key of the cache without --yes", "add --yes (or try --dry-run first)");
    return t;
}

}  // namespace

int purge(Context& ctx, const PurgeOptions& o) {
    Registry registry = Registry::from_config(ctx.config());
    Target target = choose_target(registry, o);
    std::optional<JobLock> lock;
    if (!o.dry_run && !o.no_lock) {
        try {
            lock.emplace(JobLock::acquire(ctx.pg_settings(), "cache-purge", Millis(0)));
        } catch (const Error& e) {
            if (e.code() != Exit::unavailable) throw;
            throw Error(Exit::unavailable, fmt::format("cannot take the cache-purge lock: {}", e.what()),
                        "the single-run lock lives in PostgreSQL (--database-url); --no-lock purges without it");
        }
    }
    Nodes nodes = Nodes::connect(ctx);
    StopSignal stop;
    ScanOptions scan_opts = scan_options(o.limits, o.dry_run ? "counting" : "purging");
    scan_opts.match = target.glob;
    if (target.ns) scan_opts.filter = [ns = target.ns](std::string_view key) { return ns->matches(key); };
    log::info("{} {} on {} Redis node(s); Ctrl-C stops cleanly", o.dry_run ? "counting" : "purging", target.description,
              nodes.all().size());

    KeyRemover remover(nodes.cluster(), !o.dry_run);
    ScanOutcome outcome = scan(nodes, scan_opts, remover);
    ctx.job().keys_affected = static_cast<long long>(remover.removed());

    if (ctx.format() == exporters::Format::json) {
        nlohmann::json report = {{"target", target.description},
                                 {"namespace", target.ns ? nlohmann::json(target.ns->name()) : nlohmann::json(nullptr)},
                                 {"match", target.glob.empty() ? "*" : target.glob},
                                 {"dry_run", o.dry_run},
                                 {"nodes", nodes.all().size()},
                                 {"found", remover.found()},
                                 {"removed", remover.removed()},
                                 {"memory_bytes", remover.memory()},
                                 {"moved", remover.moved()},
                                 {"sample", remover.sample()}};
        add_outcome(report, outcome);
        ctx.out() << report.dump(2) << '\n';
    } else if (!ctx.options().quiet) {
        std::string where = nodes.cluster() ? fmt::format(" on {} cluster masters", nodes.all().size()) : "";
        if (o.dry_run) {
            ctx.out() << fmt::format("would remove {} keys ({}) of {}{}; nothing was changed\n", remover.found(),
                                     format_bytes(remover.memory()), target.description, where);
            if (!remover.sample().empty()) {
                std::string sample;
                for (const auto& k : remover.sample()) sample += (sample.empty() ? "" : ", ") + k;
                ctx.out() << "sample: " << sample << '\n';
            }
        } else {
            ctx.out() << fmt::format("removed {} keys ({}) of {}{}{}\n", remover.removed(), format_bytes(remover.memory()),
                                     target.description, where, format_speed(remover.removed(), outcome));
        }
        if (remover.moved() > 0)
            ctx.out() << fmt::format("{} keys were left because their hash slot moved to another master meanwhile; run again\n",
                                     remover.moved());
    }
    // Even with --quiet: the cursor is what a later run needs.
    if (auto note = stop_note(outcome, o.limits); !note.empty() && ctx.format() != exporters::Format::json)
        ctx.out() << note << '\n';
    return exit_code(outcome);
}

}  // namespace spotctl::cache
