#pragma once
// `spotctl fraud`: scan the platform's data with set-based rules into fraud_alerts, review the
// alerts (confirm with an action, or dismiss), block address ranges, fold alerts into user risk
// profiles, and backtest thresholds over history.
#include <optional>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::fraud {

// The time window of a scan or backtest: --since, or --from/--to.
struct Window {
    std::string since;  // a time (core/time_spec.hpp), "24h" when empty; used when from is empty
    std::string from;   // a time
    std::string to;     // a time; empty: now
};

struct ScanOptions {
    Window window;
    std::vector<std::string> rules;  // empty: all
    bool dry_run = false;
};
int scan(Context& ctx, const ScanOptions& o);

// with_sql: add each rule's SQL ($1, $2 the window; $3... the thresholds in the order listed).
int list_rules(Context& ctx, bool with_sql);

struct BacktestOptions {
    std::string rule;
    std::vector<std::string> thresholds;  // NAME=VALUE
    Window window;
};
int backtest(Context& ctx, const BacktestOptions& o);

struct AlertsOptions {
    std::string rule;
    std::string status = "open";  // open, confirmed, dismissed, any
    std::optional<double> min_score;
    long limit = 100;
};
int alerts(Context& ctx, const AlertsOptions& o);
int show(Context& ctx, const std::string& id);

struct ReviewOptions {
    std::string id;
    std::string actor;
    bool confirm = true;           // confirm or dismiss
    // confirm: suspend, ban, reverse-coins, block-ip; suspend-all (every account a card alert
    // links), revoke-sessions (theirs, or a user's), secure-account (a takeover's victim: sessions
    // revoked, a new password required)
    std::string action;
    std::string reason;
    std::optional<std::string> until;    // suspend: end of the suspension (default 7 days from now)
    std::optional<std::string> expires;  // block-ip: end of the block (default none)
    std::optional<std::string> suppress;  // dismiss: a duration with a unit ("30d")
};
int review(Context& ctx, const ReviewOptions& o);

struct IpBlockOptions {
    std::string cidr;
    std::string actor;
    std::string reason;
    std::optional<std::string> expires;
};
int ip_block(Context& ctx, const IpBlockOptions& o);
int ip_unblock(Context& ctx, const IpBlockOptions& o);
int ip_list(Context& ctx, bool all);

int risk_recompute(Context& ctx);
int risk_show(Context& ctx, const std::string& user);

}  // namespace spotctl::fraud
