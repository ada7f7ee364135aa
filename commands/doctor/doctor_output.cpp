#include "commands/doctor/doctor_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/health/health_output.hpp"

namespace spotctl::doctor {
namespace {

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
    return out;
}

}  // namespace

std::string sample_text(const Finding& f) {
    std::string text = joined(f.sample);
    if (f.rows > f.sample.size()) text += fmt::format(" (+{} more)", f.rows - f.sample.size());
    return text;
}

std::string status_of(const Outcome& o) { return o.finding.skipped ? "skipped" : o.failed() ? "FAIL" : "ok"; }

void write_rows(exporters::Format format, const std::vector<Outcome>& outcomes, std::ostream& out, bool color) {
    using exporters::CellType;
    auto writer = exporters::make_writer(format, out, {color, false, true});
    writer->begin({{"check"}, {"status"}, {"rows", CellType::integer}, {"sample"}, {"time_ms", CellType::number}, {"note"}});
    for (const auto& o : outcomes)
        writer->row({o.check->name, status_of(o), std::to_string(o.finding.rows), sample_text(o.finding),
                     fmt::format("{:.1f}", o.duration_ms), o.finding.note});
    writer->end();
}

std::string render_json(const std::vector<Outcome>& outcomes, double duration_ms) {
    nlohmann::json checks = nlohmann::json::array();
    bool failed = false;
    for (const auto& o : outcomes) {
        failed = failed || o.failed();
        checks.push_back({{"name", o.check->name}, {"area", o.check->area}, {"status", status_of(o) == "FAIL" ? "fail" : status_of(o)},
                          {"rows", o.finding.rows}, {"sample", o.finding.sample}, {"duration_ms", o.duration_ms},
                          {"note", o.finding.note}, {"repair", o.check->repair.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.check->repair)},
                          {"decide", o.check->decide.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.check->decide)}});
    }
    nlohmann::json doc = {{"status", failed ? "fail" : "ok"}, {"exit_code", failed ? 1 : 0}, {"duration_ms", duration_ms},
                          {"checks", checks}};
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_nagios(const std::vector<Outcome>& outcomes, double duration_ms) {
    health::Report report;
    report.duration_ms = duration_ms;
    for (const auto& o : outcomes) {
        health::Probe p;
        p.kind = "doctor";
        p.name = o.check->name;
        p.up = true;
        p.duration_ms = o.duration_ms;
        p.state = o.failed() ? health::State::warning : health::State::ok;
        p.summary = o.finding.skipped ? "skipped: " + o.finding.note : fmt::format("{} row(s) {}", o.finding.rows, sample_text(o.finding));
        p.metrics.push_back({"rows", static_cast<double>(o.finding.rows), "", {}, p.state});
        report.state = health::worst(report.state, p.state);
        report.probes.push_back(std::move(p));
    }
    return health::render_nagios(report);
}

}  // namespace spotctl::doctor
