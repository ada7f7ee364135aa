#include "commands/health/health_model.hpp"

#include <cmath>
#include <fmt/format.h>

namespace spotctl::health {

std::string_view state_name(State s) {
    switch (s) {
        case State::ok: return "OK";
        case State::warning: return "WARNING";
        case State::critical: return "CRITICAL";
        case State::unknown: return "UNKNOWN";
    }
    return "UNKNOWN";
}

int severity(State s) {
    switch (s) {
        case State::ok: return 0;
        case State::warning: return 1;
        case State::unknown: return 2;
        case State::critical: return 3;
    }
    return 2;
}

State worst(State a, State b) { return severity(a) >= severity(b) ? a : b; }

std::string format_number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e18) return fmt::format("{:.0f}", v);
    std::string s = fmt::format("{:.3f}", v);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

void evaluate(Metric& m) {
    auto beyond = [&](double limit) { return m.limits.lower_is_worse ? m.value <= limit : m.value >= limit; };
    if (m.limits.critical && beyond(*m.limits.critical)) m.state = State::critical;
    else if (m.limits.warning && beyond(*m.limits.warning)) m.state = State::warning;
    else m.state = State::ok;
}

void add_metric(Probe& probe, Metric metric) {
    evaluate(metric);
    if (metric.state != State::ok) {
        auto limit = metric.state == State::critical ? metric.limits.critical : metric.limits.warning;
        probe.notes.push_back(fmt::format("{} is {}{} ({} {}{})", metric.name, format_number(metric.value), metric.unit,
                                          metric.limits.lower_is_worse ? "<=" : ">=", format_number(*limit), metric.unit));
    }
    probe.state = worst(probe.state, metric.state);
    probe.metrics.push_back(std::move(metric));
}

}  // namespace spotctl::health
