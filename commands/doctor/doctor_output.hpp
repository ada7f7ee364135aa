#pragma once
// A doctor run in each output format: table (people), json, and nagios, which is health's
// Monitoring Plugins line (a failing check is a WARNING, its row count the perfdata).
#include <ostream>
#include <string>
#include <vector>

#include "commands/doctor/checks.hpp"

namespace spotctl::doctor {

struct Outcome {
    const Check* check = nullptr;
    Finding finding;
    double duration_ms = 0;
    bool failed() const { return !finding.skipped && finding.rows > 0; }
};

std::string render_json(const std::vector<Outcome>& outcomes, double duration_ms);
std::string render_nagios(const std::vector<Outcome>& outcomes, double duration_ms);
// Rows for a table or CSV writer on `out`: check, status, rows, sample, time_ms, note.
void write_rows(exporters::Format format, const std::vector<Outcome>& outcomes, std::ostream& out, bool color);

std::string status_of(const Outcome& o);  // "ok", "FAIL", "skipped"
// The sample's ids, space-separated, and how many more there are: "id1 id2 (+40 more)".
std::string sample_text(const Finding& f);

}  // namespace spotctl::doctor
