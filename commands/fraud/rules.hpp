#pragma once
// The fraud rules: each one is a set-based SQL query over a time window that returns findings
// (subject, window, score, evidence). Thresholds have built-in defaults (the platform's own
// settings where it has them), may be set in the configuration file under [fraud.RULE], and
// `fraud backtest` may override them with NAME=VALUE.
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace spotctl::fraud {

struct Threshold {
    std::string_view name;         // config key and backtest NAME, e.g. "max_failures"
    double default_value;
    std::string_view description;  // one line, for `fraud rules` and the man page
};

struct Rule {
    std::string_view name;          // fraud_alerts.rule
    std::string_view subject;       // what it flags: "user", "ip", "card or user"
    std::string_view explanation;   // one line
    std::vector<Threshold> thresholds;
    // SELECT returning subject_type, subject_id, window_start, window_end, score, evidence.
    // $1 and $2 are the window (timestamptz, half-open [from, to)); $3... the thresholds in order.
    std::string_view sql;
};

const std::vector<Rule>& rules();
// Error(Exit::usage) naming the known rules for an unknown name.
const Rule& find_rule(std::string_view name);
// "brute_force,credential_stuffing" -> rules, in catalog order, without repeats. Empty: all.
std::vector<const Rule*> select_rules(const std::vector<std::string>& names);

// A rule's thresholds in the rule's order: defaults, then [fraud.RULE] in `config`, then
// `overrides` ("NAME=VALUE", backtest). Error(Exit::config) for a bad or negative value in the
// file (with file:line) or an unknown key under [fraud.RULE]; Error(Exit::usage) for a bad override.
std::vector<double> resolve_thresholds(const Rule& rule, const Config& config, const std::vector<std::string>& overrides = {});

// Parses "NAME=VALUE" into (name, value); Error(Exit::usage) naming `what` when malformed, the
// value is not a finite number, or it is negative.
std::pair<std::string, double> parse_threshold_assignment(std::string_view text, std::string_view what);

// A finite, non-negative number; nullopt otherwise.
std::optional<double> parse_threshold_value(std::string_view text);

// How a threshold value looks in tables: "5", "0.75".
std::string format_threshold(double value);

}  // namespace spotctl::fraud
