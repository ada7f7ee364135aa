#pragma once
// A health report in each output format: table (people), json, nagios (one status line with
// performance data, Monitoring Plugins format) and prometheus (text exposition format).
#include <string>

#include "commands/health/health_model.hpp"

namespace spotctl::health {

std::string render_table(const Report& report, bool color);
std::string render_json(const Report& report);
std::string render_nagios(const Report& report);
std::string render_prometheus(const Report& report);

}  // namespace spotctl::health
