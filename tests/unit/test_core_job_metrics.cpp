#include <catch2/catch.hpp>

#include "core/job_metrics.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl;
using namespace std::chrono_literals;

namespace {
job_metrics::Run run_of(int exit_code) {
    return {"report_run", exit_code, 2.5s, std::chrono::system_clock::time_point(1795000100s)};
}
}  // namespace

TEST_CASE("job metrics: a success writes its time, duration, exit code, rows and details, labelled by job") {
    job_metrics::Report report;
    report.labels["report"] = "revenue";
    report.rows_affected = 42;
    report.details.push_back({"spotctl_report_run_pages", "Pages", "gauge", {{{}, 3}}});
    CHECK(job_metrics::render(run_of(0), report, "") ==
          "# HELP spotctl_last_success_timestamp_seconds When the spotctl job last exited 0 (Unix time)\n"
          "# TYPE spotctl_last_success_timestamp_seconds gauge\n"
          "spotctl_last_success_timestamp_seconds{job=\"report_run\",report=\"revenue\"} 1795000100\n"
          "# HELP spotctl_duration_seconds Duration of the last run of the spotctl job\n"
          "# TYPE spotctl_duration_seconds gauge\n"
          "spotctl_duration_seconds{job=\"report_run\",report=\"revenue\"} 2.5\n"
          "# HELP spotctl_exit_code Exit code of the last run of the spotctl job (0 success)\n"
          "# TYPE spotctl_exit_code gauge\n"
          "spotctl_exit_code{job=\"report_run\",report=\"revenue\"} 0\n"
          "# HELP spotctl_rows_affected Rows the last run of the spotctl job changed or wrote\n"
          "# TYPE spotctl_rows_affected gauge\n"
          "spotctl_rows_affected{job=\"report_run\",report=\"revenue\"} 42\n"
          "# HELP spotctl_report_run_pages Pages\n"
          "# TYPE spotctl_report_run_pages gauge\n"
          "spotctl_report_run_pages{job=\"report_run\",report=\"revenue\"} 3\n");
}

TEST_CASE("job metrics: a failure keeps the previous last success and details, replaces duration and exit code") {
    job_metrics::Report ok;
    ok.labels["report"] = "a \"quoted\" name";
    ok.details.push_back({"spotctl_report_run_pages", "Pages", "gauge", {{{}, 3}}});
    std::string previous = job_metrics::render(run_of(0), ok, "") + "# a comment someone added\n";

    job_metrics::Report failed;
    failed.labels["report"] = "a \"quoted\" name";
    std::string after = job_metrics::render(run_of(75), failed, previous);
    INFO(after);
    CHECK(after.find("spotctl_exit_code{job=\"report_run\",report=\"a \\\"quoted\\\" name\"} 75\n") != std::string::npos);
    CHECK(after.find("spotctl_last_success_timestamp_seconds{job=\"report_run\",report=\"a \\\"quoted\\\" name\"} 1795000100\n") !=
          std::string::npos);
    CHECK(after.find("spotctl_report_run_pages{job=\"report_run\",report=\"a \\\"quoted\\\" name\"} 3\n") != std::string::npos);
    CHECK(after.find("# TYPE spotctl_last_success_timestamp_seconds gauge\n") != std::string::npos);
    CHECK(after.find("spotctl_exit_code{job=\"report_run\",report=\"a \\\"quoted\\\" name\"} 0\n") == std::string::npos);
    CHECK(after.find("a comment") == std::string::npos);

    // A first run that fails has no success to keep.
    CHECK(job_metrics::render(run_of(69), failed, "").find("last_success") == std::string::npos);
}

TEST_CASE("job metrics: write replaces the file atomically and reads the old one on failure") {
    spotctl::test::TempDir dir;
    auto path = dir / "job.prom";
    job_metrics::write(path, run_of(0), {});
    job_metrics::write(path, run_of(1), {});
    std::string text = spotctl::test::slurp(path);
    CHECK(text.find("spotctl_last_success_timestamp_seconds{job=\"report_run\"} 1795000100\n") != std::string::npos);
    CHECK(text.find("spotctl_exit_code{job=\"report_run\"} 1\n") != std::string::npos);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
    CHECK(job_metrics::job_name("cache purge") == "cache_purge");
}
