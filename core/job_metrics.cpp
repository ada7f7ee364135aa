#include "core/job_metrics.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"

namespace spotctl::job_metrics {
namespace {

double unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string read_previous(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";  // no previous file (or unreadable: the rename below replaces it anyway)
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::string job_name(const std::string& command) {
    std::string out = command;
    std::replace(out.begin(), out.end(), ' ', '_');
    return out;
}

std::string render(const Run& run, const Report& report, const std::string& previous) {
    std::map<std::string, std::string> labels = report.labels;
    labels["job"] = run.job;
    auto gauge = [&labels](std::string name, std::string help, double value) {
        return prometheus::Metric{std::move(name), std::move(help), "gauge", {{labels, value}}};
    };
    const bool success = run.exit_code == 0;
    std::vector<prometheus::Metric> now;
    if (success)
        now.push_back(gauge("spotctl_last_success_timestamp_seconds", "When the spotctl job last exited 0 (Unix time)",
                            unix_seconds(run.finished)));
    now.push_back(gauge("spotctl_duration_seconds", "Duration of the last run of the spotctl job", run.duration.count()));
    now.push_back(gauge("spotctl_exit_code", "Exit code of the last run of the spotctl job (0 success)", run.exit_code));
    if (report.rows_affected)
        now.push_back(gauge("spotctl_rows_affected", "Rows the last run of the spotctl job changed or wrote",
                            static_cast<double>(*report.rows_affected)));
    if (report.keys_affected)
        now.push_back(gauge("spotctl_keys_affected", "Redis keys the last run of the spotctl job changed",
                            static_cast<double>(*report.keys_affected)));
    if (success) {
        for (auto detail : report.details) {
            for (auto& sample : detail.samples) sample.labels.insert(labels.begin(), labels.end());
            now.push_back(std::move(detail));
        }
        return prometheus::render(now);
    }
    // A failure: what this run measured, and everything else as the last file had it.
    for (auto& old : prometheus::parse(previous)) {
        bool replaced = std::any_of(now.begin(), now.end(), [&old](const prometheus::Metric& m) { return m.name == old.name; });
        if (!replaced && !old.samples.empty()) now.push_back(std::move(old));
    }
    return prometheus::render(now);
}

void write(const std::filesystem::path& path, const Run& run, const Report& report) {
    write_file_atomically(path, render(run, report, run.exit_code == 0 ? "" : read_previous(path)), 0644);
}

}  // namespace spotctl::job_metrics
