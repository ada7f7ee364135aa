#pragma once
// Warning and critical limits for every metric that can be bad: built-in defaults, then the
// configuration file ([health.thresholds.KIND] METRIC = { warning = X, critical = Y }), then
// --warning/--critical KIND.METRIC=VALUE flags.
#include <map>
#include <string>
#include <vector>

#include "commands/health/health_model.hpp"
#include "core/config.hpp"

namespace spotctl::health {

class Thresholds {
public:
    // Error(Exit::usage) for a flag naming an unknown metric or a value that is not a number;
    // Error(Exit::config) for the same in the file.
    Thresholds(const Config& config, const std::vector<std::string>& warning_flags, const std::vector<std::string>& critical_flags);

    Limits get(const std::string& kind, const std::string& metric) const;

    // Every metric with limits, "kind.metric", for --help and the man page.
    static std::vector<std::string> known();

private:
    std::map<std::string, Limits> limits_;
};

}  // namespace spotctl::health
