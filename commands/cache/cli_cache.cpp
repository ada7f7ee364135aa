#include "commands/cache/cli_cache.hpp"

#include <fmt/format.h>
#include <memory>

#include "cli/validators.hpp"
#include "commands/cache/cache.hpp"

namespace spotctl::cli {
namespace {

struct CacheFlags {
    long count = 500;
    std::optional<double> rate;
    std::string max_runtime;
    std::string cursor;
    std::string ttl;
    std::string charger, user;
    cache::PurgeOptions purge;
    cache::FixTtlOptions fix;
    bool dry_run = false;

    cache::ScanLimits limits() const {
        cache::ScanLimits l;
        l.count = count;
        l.rate = rate;
        if (!max_runtime.empty()) l.max_runtime = parse_duration(max_runtime, "--max-runtime");
        l.cursor = cursor;
        return l;
    }
};

void add_count(CommandBuilder& sub, CacheFlags& f) {
    sub.setting(sub.app().add_option("--count", f.count, "SCAN COUNT: how much of the keyspace each SCAN looks at")
                    ->check(CLI::Range(1, 100000))
                    ->default_str("500"),
                "", "cache.scan_count");
}

// The flags of a long scan: pace, time limit, resume.
void add_scan_limits(CommandBuilder& sub, CacheFlags& f) {
    add_count(sub, f);
    sub.setting(sub.app().add_option("--rate", f.rate, "At most this many keys per second, to spare a busy Redis")
                    ->check(CLI::PositiveNumber),
                "", "cache.rate");
    sub.setting(sub.app().add_option("--max-runtime", f.max_runtime, "Stop after this long and print the cursor to resume from")
                    ->check(duration_value()),
                "", "cache.max_runtime");
    sub.app().add_option("--cursor", f.cursor, "Resume where a stopped run left off (the cursor it printed)");
    sub.app().add_flag("--dry-run", f.dry_run, "Count (and sample) the keys; change nothing");
}

}  // namespace

void define_cache(CommandBuilder& builder) {
    auto f = std::make_shared<CacheFlags>();
    builder.app().require_subcommand(1);
    builder.config_table("cache.namespaces");
    builder.examples(
        "  spotctl cache stats\n"
        "  spotctl cache purge charger_list --dry-run\n"
        "  spotctl cache purge --pattern 'chargers:list:*' --rate 5000 --max-runtime 10m\n"
        "  spotctl cache invalidate --user 00000000-0000-4000-8000-000000000011\n"
        "  spotctl cache fix-ttl user_profile");

    auto ns = builder.subcommand("namespaces", "List the key registry: namespaces, patterns, owners and default TTLs");
    ns.action([](Context& ctx) { return cache::namespaces(ctx); });
    ns.examples("  spotctl cache namespaces\n  spotctl cache namespaces -o json");

    auto stats = builder.subcommand("stats", "Keys, keys without a TTL and memory per namespace, plus unknown keys");
    add_count(stats, *f);
    stats.action([f](Context& ctx) { return cache::stats(ctx, f->count); });
    stats.examples("  spotctl cache stats\n  spotctl cache stats -o json");

    auto purge = builder.subcommand("purge", "Remove the keys of a namespace or a glob (SCAN, pipelined UNLINK)");
    purge.app().add_option("namespace", f->purge.ns, "A namespace of the registry (spotctl cache namespaces)");
    purge.app().add_option("--pattern", f->purge.pattern, "A Redis glob instead of a namespace, such as 'chargers:list:*'");
    purge.app().add_flag("--all", f->purge.all, "Every key of the cache (needs --yes)");
    purge.app().add_flag("-y,--yes", f->purge.yes, "Confirm removing every key (--all)");
    purge.app().add_flag("--no-lock", f->purge.no_lock, "Do not take the cache-purge single-run lock (it needs PostgreSQL)");
    add_scan_limits(purge, *f);
    purge.job_metrics("cache.metrics_file");
    purge.action([f](Context& ctx) {
        cache::PurgeOptions o = f->purge;
        o.dry_run = f->dry_run;
        o.limits = f->limits();
        ctx.job().dry_run = o.dry_run;
        return cache::purge(ctx, o);
    });
    purge.examples(
        "  spotctl cache purge charger_list\n"
        "  spotctl cache purge --pattern 'user:*:stats' --dry-run\n"
        "  spotctl cache purge charger_detail --rate 2000 --max-runtime 5m\n"
        "  spotctl cache purge charger_detail --cursor 918273          # go on after a stop\n"
        "  spotctl cache purge --all --yes");

    auto inv = builder.subcommand("invalidate", "Remove every key that belongs to one charger or user");
    auto charger = inv.app().add_option("--charger", f->charger, "The charger's id (UUID)");
    inv.app().add_option("--user", f->user, "The user's id (UUID)")->excludes(charger);
    inv.app().add_flag("--dry-run", f->dry_run, "Count the keys; change nothing");
    add_count(inv, *f);
    inv.action([f](Context& ctx) {
        cache::InvalidateOptions o;
        o.entity = !f->charger.empty() ? cache::Entity::charger : !f->user.empty() ? cache::Entity::user : cache::Entity::none;
        o.id = !f->charger.empty() ? f->charger : f->user;
        o.dry_run = f->dry_run;
        o.count = f->count;
        return cache::invalidate(ctx, o);
    });
    inv.examples("  spotctl cache invalidate --charger 00000002-0000-4000-8000-000000000001\n"
                 "  spotctl cache invalidate --user 00000000-0000-4000-8000-000000000011 --dry-run");

    auto fix = builder.subcommand("fix-ttl", "Give the keys of a namespace that have no TTL the namespace's default TTL");
    fix.app().add_option("namespace", f->fix.ns, "A namespace of the registry")->required();
    fix.app().add_option("--ttl", f->ttl, "This TTL instead of the namespace's default")->check(duration_value());
    add_scan_limits(fix, *f);
    fix.action([f](Context& ctx) {
        cache::FixTtlOptions o = f->fix;
        if (!f->ttl.empty()) {
            auto ms = parse_duration(f->ttl, "--ttl");
            if (ms.count() % 1000 != 0) throw Error(Exit::usage, fmt::format("--ttl {} is not a whole number of seconds", f->ttl));
            o.ttl = std::chrono::seconds(ms.count() / 1000);
        }
        o.dry_run = f->dry_run;
        o.limits = f->limits();
        return cache::fix_ttl(ctx, o);
    });
    fix.examples("  spotctl cache fix-ttl user_profile --dry-run\n  spotctl cache fix-ttl session --ttl 1d");
}

}  // namespace spotctl::cli
