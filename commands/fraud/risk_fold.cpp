#include "commands/fraud/risk_fold.hpp"

#include <algorithm>

namespace spotctl::fraud {

double status_weight(std::string_view status) {
    if (status == "confirmed") return 1.0;
    if (status == "open") return open_weight;
    return 0.0;
}

std::map<std::string, double> risk_factors(const std::vector<AlertFactor>& alerts) {
    std::map<std::string, double> out;
    for (const auto& a : alerts) {
        double w = std::clamp(a.score, 0.0, 1.0) * status_weight(a.status);
        if (w <= 0) continue;
        auto [it, inserted] = out.emplace(a.rule, w);
        if (!inserted) it->second = std::max(it->second, w);
    }
    return out;
}

double fold_risk(const std::map<std::string, double>& factors) {
    double keep = 1.0;
    for (const auto& [rule, f] : factors) keep *= 1.0 - std::clamp(f, 0.0, 1.0);
    return std::clamp(1.0 - keep, 0.0, 1.0);
}

}  // namespace spotctl::fraud
