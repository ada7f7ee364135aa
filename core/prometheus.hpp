#pragma once
// Prometheus text exposition format, for node_exporter's textfile collector (cron jobs'
// --metrics-file) and for `health -o prometheus`. Written atomically, so the collector never
// reads half a file.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace spotctl::prometheus {

struct Sample {
    std::map<std::string, std::string> labels;
    double value = 0;
};

struct Metric {
    std::string name;  // e.g. spotctl_prune_rows_removed
    std::string help;
    std::string type = "gauge";  // gauge, counter
    std::vector<Sample> samples;
};

// The exposition text: # HELP and # TYPE lines, then one line a sample, label values escaped.
std::string render(const std::vector<Metric>& metrics);

// The families of a file render() wrote (HELP, TYPE and samples). Lines it does not
// understand (comments, garbage) are skipped: a previous file is read for what it still holds.
std::vector<Metric> parse(const std::string& text);

// Writes render(metrics) to `path` atomically (mode 0644).
void write_file(const std::filesystem::path& path, const std::vector<Metric>& metrics);

}  // namespace spotctl::prometheus
