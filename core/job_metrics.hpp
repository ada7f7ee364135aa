#pragma once
// The metrics every scheduled job (migrate up, prune, cache purge, report, fraud scan, doctor)
// writes with --metrics-file, for node_exporter's textfile collector. One naming scheme,
// labelled job="<command words joined by _>" plus any labels the command adds:
//   spotctl_last_success_timestamp_seconds  Unix time of the last run that exited 0
//   spotctl_duration_seconds                duration of the last run
//   spotctl_exit_code                       exit code of the last run
//   spotctl_rows_affected / spotctl_keys_affected   what the last run changed, when it says
// A run that fails keeps the previous file's last success time (and any detail metric of the
// command, such as prune's per-policy rows), so an alert on the last success's age fires.
// The file is replaced atomically (core/atomic_file): the collector never reads half of it.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/prometheus.hpp"

namespace spotctl::job_metrics {

// What a command tells the writer about its run, through Context::job().
struct Report {
    std::map<std::string, std::string> labels;  // beside job, e.g. report="payments"
    std::optional<long long> rows_affected;
    std::optional<long long> keys_affected;
    std::vector<prometheus::Metric> details;    // the command's own families (spotctl_<job>_...), on success; labels added
    bool dry_run = false;                       // a dry run writes no metrics
};

struct Run {
    std::string job;  // "migrate_up"
    int exit_code = 0;
    std::chrono::duration<double> duration{};
    std::chrono::system_clock::time_point finished;
};

// The file's content for `run`, given the previous content ("" when there was none).
std::string render(const Run& run, const Report& report, const std::string& previous);

// Reads the previous file (if any) and replaces it with render(). Error(Exit::cant_write) on failure.
void write(const std::filesystem::path& path, const Run& run, const Report& report);

// "cache purge" -> "cache_purge"
std::string job_name(const std::string& command);

}  // namespace spotctl::job_metrics
