#pragma once
// What a health check finds: probes (one per server or endpoint), each with a state and the
// metrics behind it, in the monitoring plugins' four states.
#include <optional>
#include <string>
#include <vector>

namespace spotctl::health {

// Ordered by severity for the worst-of rule, except that UNKNOWN ranks between WARNING and
// CRITICAL, as the Monitoring Plugins do.
enum class State { ok = 0, warning = 1, critical = 2, unknown = 3 };
std::string_view state_name(State s);  // "OK", "WARNING", ...
int severity(State s);                 // ok 0, warning 1, unknown 2, critical 3
State worst(State a, State b);

struct Limits {
    std::optional<double> warning;
    std::optional<double> critical;
    bool lower_is_worse = false;  // e.g. days until a certificate expires
};

struct Metric {
    std::string name;   // e.g. "latency_ms", "connections_used_percent"
    double value = 0;
    std::string unit;   // perfdata unit: "ms", "%", "B", "s", "" (count)
    Limits limits;
    State state = State::ok;
};

struct Probe {
    std::string kind;   // postgres, redis, http
    std::string name;   // primary, replica1, node 127.0.0.1:7001, api
    std::string target; // the redacted URL
    State state = State::ok;
    bool up = false;    // the service answered
    bool timed_out = false;
    std::string summary;
    double duration_ms = 0;
    std::vector<Metric> metrics;
    std::vector<std::string> notes;  // what made it WARNING/CRITICAL, one line each
};

struct Report {
    State state = State::ok;
    std::vector<Probe> probes;
    double duration_ms = 0;
    long long checked_at = 0;  // unix time
};

// Plain decimals with at most three places: "19219600", "0.857" (perfdata parsers do not all read exponents).
std::string format_number(double v);

// Applies the limits to every metric and folds the probe's state.
void evaluate(Metric& metric);
void add_metric(Probe& probe, Metric metric);

}  // namespace spotctl::health
