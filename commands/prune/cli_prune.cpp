#include "commands/prune/cli_prune.hpp"

#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>

#include "commands/prune/policies.hpp"
#include "commands/prune/prune.hpp"

namespace spotctl::cli {
namespace {
struct PruneFlags {
    prune::Options options;
    std::map<std::string, std::optional<int>> days;  // by policy name
};

std::string dashed(std::string_view name) {
    std::string out(name);
    for (auto& c : out)
        if (c == '_') c = '-';
    return out;
}
}  // namespace

void define_prune(CommandBuilder& builder) {
    auto f = std::make_shared<PruneFlags>();
    CLI::App& app = builder.app();
    std::string names;
    for (const auto& p : prune::policies()) names += (names.empty() ? "" : ", ") + std::string(p.name);
    app.add_option("policy", f->options.policies, "Run only these policies: " + names);
    app.add_flag("--dry-run", f->options.dry_run, "Count what is due per policy; change nothing");
    app.add_option("--to", f->options.to,
                   "Only rows before this time too: moves every policy's cut-off earlier, never later (a date includes its whole day)")
        ->type_name("TIME");
    builder.setting(app.add_option("--batch-size", f->options.batch_size, "Rows per transaction")
                        ->check(CLI::Range(1, 100000))
                        ->default_str("5000"),
                    "", "prune.batch_size");
    builder.job_metrics("prune.metrics_file");
    for (const auto& p : prune::policies()) {
        std::string key(p.name);
        builder.setting(app.add_option("--" + dashed(p.name) + "-days", f->days[key],
                                       fmt::format("Retention of {} (default {})", key, p.default_days))
                            ->check(CLI::Range(0, 36500))
                            ->group("Retention (days)"),
                        "", "prune." + key + "_days");
    }
    builder.action([f](Context& ctx) {
        prune::Options o = f->options;
        ctx.job().dry_run = o.dry_run;
        for (const auto& [name, days] : f->days)
            if (days) o.days[name] = *days;
        return prune::run(ctx, o);
    });
    builder.examples(
        "  spotctl prune --dry-run\n"
        "  spotctl prune                                   # every policy (cron: exits 75 if one is running)\n"
        "  spotctl prune login_attempts sessions --login-attempts-days 60\n"
        "  spotctl prune --dry-run --to 2026-06-30                # only what is due and dated up to the end of June\n"
        "  spotctl prune -o json --metrics-file /var/lib/node_exporter/textfile/spotctl_prune.prom");
}

}  // namespace spotctl::cli
