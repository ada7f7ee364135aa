#pragma once
// Folding a user's fraud alerts into one risk score in 0..1: each rule contributes its
// strongest alert, weighted by the review status (a confirmed alert counts in full, an open one
// at open_weight, a dismissed one not at all), and independent contributions combine like
// probabilities: 1 - (1 - a)(1 - b)... Two 0.5 factors give 0.75, never more than 1.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl::fraud {

constexpr double open_weight = 0.6;

struct AlertFactor {
    std::string rule;
    double score = 0;      // the alert's score, 0..1
    std::string status;    // open, confirmed, dismissed
};

// Per rule: the strongest weighted alert.
std::map<std::string, double> risk_factors(const std::vector<AlertFactor>& alerts);
// 1 - prod(1 - f), each factor clamped to 0..1.
double fold_risk(const std::map<std::string, double>& factors);
// Weight of a status: confirmed 1, open open_weight, anything else 0.
double status_weight(std::string_view status);

}  // namespace spotctl::fraud
