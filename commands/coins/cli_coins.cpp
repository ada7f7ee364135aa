#include "commands/coins/cli_coins.hpp"

#include <memory>

#include "cli/actor_option.hpp"
#include "commands/coins/coins.hpp"

namespace spotctl::cli {

namespace {
constexpr long long max_coins = 1'000'000'000'000LL;
}  // namespace

void define_coins(CommandBuilder& builder) {
    builder.app().require_subcommand(1);
    builder.examples(
        "  spotctl coins show priya.sharma@example.com\n"
        "  spotctl coins adjust priya.sharma@example.com 25 --reason 'goodwill: broken charger' --as mod1@spot.example\n"
        "  spotctl coins redeem priya.sharma@example.com 100 --coupon CHG-2026-0042 --as mod1@spot.example");

    auto show_opts = std::make_shared<coins::ShowOptions>();
    auto show = builder.subcommand("show", "A user's coin ledger, oldest first, with the running balance");
    show.app().add_option("user", show_opts->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    show.app().add_option("--limit", show_opts->limit, "Only the latest N rows (the running balance still counts every row)")
        ->check(CLI::Range(1L, 1000000L));
    show.action([show_opts](Context& ctx) { return coins::show(ctx, *show_opts); });
    show.examples("  spotctl coins show priya.sharma@example.com\n  spotctl coins show 00000000-0000-4000-8000-000000000011 --limit 5 -o json");

    auto adj = std::make_shared<coins::AdjustOptions>();
    auto adjust = builder.subcommand("adjust", "Credit or debit a user's coins through the ledger (staff, audited; never below zero)");
    adjust.app().add_option("user", adj->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    // Bounded so that no sum with a balance can overflow.
    adjust.app().add_option("amount", adj->amount, "Coins: positive credits, negative debits (not 0)")
        ->required()
        ->check(CLI::Range(-max_coins, max_coins));
    adjust.app().add_option("--reason", adj->reason, "Why (the ledger row's description and the audit log)")->required();
    actor_option(adjust, adj->actor);
    adjust.action([adj](Context& ctx) { return coins::adjust(ctx, *adj); });
    adjust.examples("  spotctl coins adjust priya.sharma@example.com 25 --reason 'goodwill: broken charger' --as mod1@spot.example\n"
                    "  spotctl coins adjust priya.sharma@example.com -10 --reason 'duplicate review reward' --as mod1@spot.example");

    auto red = std::make_shared<coins::RedeemOptions>();
    auto redeem = builder.subcommand("redeem", "Redeem a user's coins for charging coupons, as the platform's servers do (staff, audited)");
    redeem.app().add_option("user", red->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    redeem.app().add_option("amount", red->amount, "Coins to redeem: a whole number of coupons")->required()->check(CLI::Range(1LL, max_coins));
    redeem.app().add_option("--coupon", red->coupon, "The coupon's id, kept in the ledger row's metadata");
    actor_option(redeem, red->actor);
    redeem.action([red](Context& ctx) { return coins::redeem(ctx, *red); });
    redeem.examples("  spotctl coins redeem priya.sharma@example.com 100 --coupon CHG-2026-0042 --as mod1@spot.example");
}

}  // namespace spotctl::cli
