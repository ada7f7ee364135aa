#include "commands/health/health_output.hpp"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/prometheus.hpp"
#include "exporters/row_writer.hpp"

namespace spotctl::health {
namespace {

std::string detail(const Probe& p) {
    if (p.notes.empty()) return p.summary;
    std::string out = p.summary;
    for (const auto& n : p.notes) out += "; " + n;
    return out;
}

// Perfdata labels: letters, digits and underscores.
std::string label(const Probe& p, const std::string& metric) {
    std::string out = p.kind + "_" + p.name + "_" + metric;
    for (auto& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    return out;
}

std::string num(double v) { return format_number(v); }
std::string opt(const std::optional<double>& v) { return v ? num(*v) : ""; }

}  // namespace

std::string render_table(const Report& report, bool color) {
    std::ostringstream out;
    auto writer = exporters::make_writer(exporters::Format::table, out, {color, false, true});
    writer->begin({{"kind"}, {"name"}, {"state"}, {"time_ms", exporters::CellType::number}, {"detail"}});
    for (const auto& p : report.probes)
        writer->row({p.kind, p.name, std::string(state_name(p.state)), fmt::format("{:.1f}", p.duration_ms), detail(p)});
    writer->end();
    std::size_t bad = 0;
    for (const auto& p : report.probes) bad += p.state != State::ok;
    out << fmt::format("\n{}: {} probe(s), {} not OK, in {:.0f}ms\n", state_name(report.state), report.probes.size(), bad,
                       report.duration_ms);
    return out.str();
}

std::string render_json(const Report& report) {
    nlohmann::json probes = nlohmann::json::array();
    for (const auto& p : report.probes) {
        nlohmann::json metrics = nlohmann::json::object();
        for (const auto& m : p.metrics) {
            nlohmann::json j = {{"value", m.value}, {"unit", m.unit}, {"state", state_name(m.state)}};
            j["warning"] = m.limits.warning ? nlohmann::json(*m.limits.warning) : nlohmann::json(nullptr);
            j["critical"] = m.limits.critical ? nlohmann::json(*m.limits.critical) : nlohmann::json(nullptr);
            metrics[m.name] = j;
        }
        probes.push_back({{"kind", p.kind}, {"name", p.name}, {"target", p.target}, {"state", state_name(p.state)},
                          {"up", p.up}, {"timed_out", p.timed_out}, {"duration_ms", p.duration_ms}, {"summary", p.summary},
                          {"notes", p.notes}, {"metrics", metrics}});
    }
    nlohmann::json doc = {{"state", state_name(report.state)}, {"exit_code", static_cast<int>(report.state)},
                          {"checked_at", report.checked_at}, {"duration_ms", report.duration_ms}, {"probes", probes}};
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_nagios(const Report& report) {
    std::vector<std::string> problems;
    std::size_t ok = 0;
    for (const auto& p : report.probes) {
        if (p.state == State::ok) ++ok;
        else problems.push_back(fmt::format("{} {} {}: {}", p.kind, p.name, state_name(p.state), detail(p)));
    }
    std::string text;
    for (const auto& pr : problems) text += (text.empty() ? "" : "; ") + pr;
    text += fmt::format("{}{} of {} probes OK", text.empty() ? "" : "; ", ok, report.probes.size());
    // Monitoring Plugins: no '|' in the text part, which is one line.
    for (auto& c : text)
        if (c == '|' || c == '\n') c = ' ';
    std::string perf;
    for (const auto& p : report.probes) {
        perf += fmt::format(" '{}'={}", label(p, "up"), p.up ? 1 : 0);
        perf += fmt::format(" '{}'={}ms", label(p, "duration_ms"), num(p.duration_ms));
        for (const auto& m : p.metrics)
            perf += fmt::format(" '{}'={}{};{};{};;", label(p, m.name), num(m.value), m.unit, opt(m.limits.warning), opt(m.limits.critical));
    }
    return fmt::format("SPOTCTL {} - {} |{}\n", state_name(report.state), text, perf);
}

std::string render_prometheus(const Report& report) {
    using prometheus::Metric;
    std::vector<Metric> metrics = {
        {"spotctl_health_up", "Whether the probed service answered (1) or not (0)", "gauge", {}},
        {"spotctl_health_state", "Probe state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN", "gauge", {}},
        {"spotctl_health_probe_duration_seconds", "How long the probe took", "gauge", {}},
    };
    std::map<std::string, Metric> by_name;
    for (const auto& p : report.probes) {
        std::map<std::string, std::string> labels = {{"kind", p.kind}, {"name", p.name}};
        metrics[0].samples.push_back({labels, p.up ? 1.0 : 0.0});
        metrics[1].samples.push_back({labels, static_cast<double>(static_cast<int>(p.state))});
        metrics[2].samples.push_back({labels, p.duration_ms / 1000.0});
        for (const auto& m : p.metrics) {
            // Base units, as Prometheus expects: milliseconds become seconds.
            std::string name = m.name;
            double value = m.value;
            if (name.size() > 3 && name.ends_with("_ms")) {
                name.replace(name.size() - 3, 3, "_seconds");
                value /= 1000.0;
            }
            std::string full = fmt::format("spotctl_health_{}_{}", p.kind, name);
            auto& metric = by_name[full];
            metric.name = full;
            metric.help = fmt::format("{} {} reported by spotctl health", p.kind, name);
            metric.samples.push_back({{{"name", p.name}}, value});
        }
    }
    for (auto& [name, m] : by_name) metrics.push_back(std::move(m));
    metrics.push_back({"spotctl_health_overall_state", "Worst probe state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN", "gauge",
                       {{{}, static_cast<double>(static_cast<int>(report.state))}}});
    metrics.push_back({"spotctl_health_last_run_timestamp_seconds", "When spotctl health ran (unix time)", "gauge",
                       {{{}, static_cast<double>(report.checked_at)}}});
    return prometheus::render(metrics);
}

}  // namespace spotctl::health
