#include "commands/fraud/cli_fraud.hpp"

#include <memory>

#include "cli/actor_option.hpp"
#include "cli/time_options.hpp"
#include "commands/fraud/fraud.hpp"
#include "commands/fraud/rules.hpp"

namespace spotctl::cli {
namespace {
struct FraudFlags {
    fraud::ScanOptions scan;
    fraud::BacktestOptions backtest;
    fraud::AlertsOptions alerts;
    std::string show_id;
    fraud::ReviewOptions review;
    std::string suppress;
    std::string until, expires;
    fraud::IpBlockOptions ip;
    std::string ip_expires;
    bool ip_all = false;
    std::string risk_user;
    bool rules_sql = false;
};

void window_options(CLI::App& app, fraud::Window& w) {
    auto since = app.add_option("--since", w.since, "Start of the window: a duration back from now such as 24h or 7d, "
                                                    "or any time --from takes (default 24h)")->type_name("TIME");
    auto from = app.add_option("--from", w.from, "Start of the window: a date, a timestamp, a duration back from now or a "
                                                 "named date (spotctl(1), TIMES AND DURATIONS)")->type_name("TIME")->excludes(since);
    auto to = app.add_option("--to", w.to, "End of the window: an instant is exclusive, a date includes its whole day (default now)")
                  ->type_name("TIME");
    range_shortcuts(app, w.from, w.to, {since, from, to});
}
}  // namespace

void define_fraud(CommandBuilder& builder) {
    auto f = std::make_shared<FraudFlags>();
    builder.app().require_subcommand(1);
    // Thresholds of every rule: [fraud.RULE] NAME = VALUE (see spotctl.toml(5)).
    builder.config_table("fraud");

    std::string names;
    for (const auto& r : fraud::rules()) names += (names.empty() ? "" : ",") + std::string(r.name);

    auto scan = builder.subcommand("scan", "Run the rules over a window and create or update fraud alerts");
    window_options(scan.app(), f->scan.window);
    scan.app().add_option("--rules", f->scan.rules, "Only these rules: " + names)->delimiter(',')->type_name("R1,R2");
    scan.app().add_flag("--dry-run", f->scan.dry_run, "Count what would be created or updated; write nothing");
    scan.job_metrics("fraud.metrics_file");
    scan.action([f](Context& ctx) {
        ctx.job().dry_run = f->scan.dry_run;
        return fraud::scan(ctx, f->scan);
    });
    scan.examples(
        "  spotctl fraud scan                                  # the last 24 hours, every rule\n"
        "  spotctl fraud scan --since 30d --rules verification_ring,card_sharing\n"
        "  spotctl fraud scan --from 2026-11-01 --to 2026-11-07 --dry-run   # 1 to 7 November, whole days\n"
        "  spotctl fraud scan --month 2026-11 --dry-run\n"
        "  spotctl fraud scan --since 1h --metrics-file fraud_scan.prom      # node_exporter's textfile collector");

    auto rules = builder.subcommand("rules", "List the rules with their thresholds (after the configuration) and what they find");
    rules.app().add_flag("--sql", f->rules_sql, "Add each rule's SQL ($1, $2: the window; $3...: the thresholds in order)");
    rules.action([f](Context& ctx) { return fraud::list_rules(ctx, f->rules_sql); });

    auto backtest = builder.subcommand("backtest", "Run one rule, with changed thresholds, over history: what it would flag, next to past reviews");
    backtest.app().add_option("rule", f->backtest.rule, "The rule: " + names)->required();
    backtest.app().add_option("--threshold", f->backtest.thresholds, "Change a threshold, NAME=VALUE (repeatable)")->type_name("NAME=VALUE");
    window_options(backtest.app(), f->backtest.window);
    backtest.action([f](Context& ctx) { return fraud::backtest(ctx, f->backtest); });
    backtest.examples(
        "  spotctl fraud backtest brute_force --threshold max_failures=4 --from 2026-10-01 --to 2026-11-01\n"
        "  spotctl fraud backtest card_sharing --threshold min_refund_rate=0.4 --since 90d -o csv");

    auto alerts = builder.subcommand("alerts", "List fraud alerts, highest score first");
    alerts.app().add_option("--rule", f->alerts.rule, "Only this rule")->type_name("RULE");
    alerts.app().add_option("--status", f->alerts.status, "open, confirmed, dismissed or any")->default_str("open");
    alerts.app().add_option("--min-score", f->alerts.min_score, "Only alerts scoring at least X (0 to 1)")->check(CLI::Range(0.0, 1.0))->type_name("X");
    alerts.app().add_option("--limit", f->alerts.limit, "At most N alerts")->check(CLI::Range(1L, 1000000L))->default_str("100");
    alerts.action([f](Context& ctx) { return fraud::alerts(ctx, f->alerts); });
    alerts.examples(
        "  spotctl fraud alerts --min-score 0.8\n"
        "  spotctl fraud alerts --rule brute_force --status any -o csv > alerts.csv");

    auto show = builder.subcommand("show", "One alert with its evidence: logins and places, verification timeline, shared cards");
    show.app().add_option("id", f->show_id, "The alert's id")->required();
    show.action([f](Context& ctx) { return fraud::show(ctx, f->show_id); });

    auto review = builder.subcommand("review", "Confirm an alert with an action, or dismiss it (moderator or admin; audited)");
    review.app().add_option("id", f->review.id, "The alert's id")->required();
    review.app().require_subcommand(1);
    auto confirm = review.subcommand("confirm", "Confirm the alert and act: suspend, ban (admin), reverse-coins, block-ip, suspend-all, "
                                                "revoke-sessions or secure-account");
    confirm.app()
        .add_option("--action", f->review.action,
                    "suspend, ban, reverse-coins, block-ip; suspend-all (every account a card alert links), revoke-sessions (theirs, "
                    "or the user's), secure-account (a takeover's victim: sessions revoked, a new password required)")
        ->required();
    confirm.app().add_option("--reason", f->review.reason, "Why (kept with the alert and in the audit log)")->required();
    confirm.app().add_option("--until", f->until, "suspend, suspend-all: when the suspension ends: a duration from now (7d), a date (through that day) or a timestamp (default 7d)")->type_name("TIME");
    confirm.app().add_option("--expires", f->expires, "block-ip: when the block ends, a time or a duration from now (default never)")->type_name("TIME");
    actor_option(confirm, f->review.actor);
    confirm.action([f](Context& ctx) {
        fraud::ReviewOptions o = f->review;
        o.confirm = true;
        if (!f->until.empty()) o.until = f->until;
        if (!f->expires.empty()) o.expires = f->expires;
        return fraud::review(ctx, o);
    });
    confirm.examples(
        "  spotctl fraud review 3 confirm --action suspend --until 30d --reason 'account takeover' --as mod1@spot.example\n"
        "  spotctl fraud review 4 confirm --action reverse-coins --reason 'verifications from 930 km away' --as mod1@spot.example\n"
        "  spotctl fraud review 8 confirm --action suspend-all --until 30d --reason 'one card, four accounts' --as mod1@spot.example\n"
        "  spotctl fraud review 1 confirm --action secure-account --reason 'account takeover' --as mod1@spot.example");
    auto dismiss = review.subcommand("dismiss", "Dismiss the alert; --suppress keeps the same finding from coming back for a while");
    dismiss.app().add_option("--reason", f->review.reason, "Why (kept with the alert and in the audit log)")->required();
    dismiss.app().add_option("--suppress", f->suppress, "Create no alert for the same rule and subject for this long (30d, 2w)")
        ->type_name("DURATION");
    actor_option(dismiss, f->review.actor);
    dismiss.action([f](Context& ctx) {
        fraud::ReviewOptions o = f->review;
        o.confirm = false;
        if (!f->suppress.empty()) o.suppress = f->suppress;
        return fraud::review(ctx, o);
    });
    dismiss.examples("  spotctl fraud review 2 dismiss --reason 'office NAT' --suppress 30d --as mod1@spot.example");

    auto ip = builder.subcommand("ip", "The IP blacklist: block, unblock and list address ranges (IPv4 and IPv6)");
    ip.app().require_subcommand(1);
    auto block = ip.subcommand("block", "Block an address range (moderator or admin; audited)");
    block.app().add_option("cidr", f->ip.cidr, "A network such as 203.0.113.0/24 or 2001:db8::/32, or one address")->required();
    block.app().add_option("--reason", f->ip.reason, "Why")->required();
    block.app().add_option("--expires", f->ip_expires, "When the block ends, a time or a duration from now (default never)")->type_name("TIME");
    actor_option(block, f->ip.actor);
    block.action([f](Context& ctx) {
        fraud::IpBlockOptions o = f->ip;
        if (!f->ip_expires.empty()) o.expires = f->ip_expires;
        return fraud::ip_block(ctx, o);
    });
    block.examples("  spotctl fraud ip block 185.220.101.0/24 --reason 'Tor exits' --expires 2027-01-01 --as mod1@spot.example");
    auto unblock = ip.subcommand("unblock", "End the active blocks of a range now (kept as history; audited)");
    unblock.app().add_option("cidr", f->ip.cidr, "The blocked range, as listed")->required();
    unblock.app().add_option("--reason", f->ip.reason, "Why")->required();
    actor_option(unblock, f->ip.actor);
    unblock.action([f](Context& ctx) { return fraud::ip_unblock(ctx, f->ip); });
    auto list = ip.subcommand("list", "The active blocks (--all: with expired ones)");
    list.app().add_flag("--all", f->ip_all, "Also the expired and lifted blocks");
    list.action([f](Context& ctx) { return fraud::ip_list(ctx, f->ip_all); });

    auto risk = builder.subcommand("risk", "Per-user risk scores folded from open and confirmed alerts");
    risk.app().require_subcommand(1);
    auto recompute = risk.subcommand("recompute", "Rewrite user_risk_profiles from the alerts now");
    recompute.action([](Context& ctx) { return fraud::risk_recompute(ctx); });
    auto risk_show = risk.subcommand("show", "A user's score and the alerts behind it");
    risk_show.app().add_option("user", f->risk_user, "The user's id or e-mail")->required();
    risk_show.action([f](Context& ctx) { return fraud::risk_show(ctx, f->risk_user); });

    builder.examples(
        "  spotctl fraud scan --since 24h\n"
        "  spotctl fraud alerts --min-score 0.8\n"
        "  spotctl fraud show 3\n"
        "  spotctl fraud review 3 confirm --action suspend --reason 'account takeover' --as mod1@spot.example\n"
        "  spotctl fraud ip block 198.51.100.0/24 --reason 'credential stuffing' --as mod1@spot.example");
}

}  // namespace spotctl::cli
