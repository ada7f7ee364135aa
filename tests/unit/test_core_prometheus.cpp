#include <catch2/catch.hpp>
#include <limits>

#include "core/prometheus.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl::prometheus;

TEST_CASE("prometheus: renders help, type, labels and values in the text format") {
    std::vector<Metric> metrics = {
        {"spotctl_prune_rows_removed", "Rows removed by the last prune, per policy", "gauge",
         {{{{"policy", "login_attempts"}}, 5000}, {{{"policy", "say \"hi\"\\\n"}}, 2.5}}},
        {"spotctl_last_success_timestamp_seconds", "When the job last succeeded", "gauge", {{{}, 1795000000}}},
        {"spotctl_up", "1 when the probe succeeded", "gauge", {{{}, std::numeric_limits<double>::quiet_NaN()}}},
    };
    CHECK(render(metrics) ==
          "# HELP spotctl_prune_rows_removed Rows removed by the last prune, per policy\n"
          "# TYPE spotctl_prune_rows_removed gauge\n"
          "spotctl_prune_rows_removed{policy=\"login_attempts\"} 5000\n"
          "spotctl_prune_rows_removed{policy=\"say \\\"hi\\\"\\\\\\n\"} 2.5\n"
          "# HELP spotctl_last_success_timestamp_seconds When the job last succeeded\n"
          "# TYPE spotctl_last_success_timestamp_seconds gauge\n"
          "spotctl_last_success_timestamp_seconds 1795000000\n"
          "# HELP spotctl_up 1 when the probe succeeded\n"
          "# TYPE spotctl_up gauge\n"
          "spotctl_up NaN\n");
}

TEST_CASE("prometheus: write_file replaces the file atomically") {
    spotctl::test::TempDir dir;
    auto path = dir / "spotctl.prom";
    write_file(path, {{"a", "first", "gauge", {{{}, 1}}}});
    write_file(path, {{"a", "second", "gauge", {{{}, 2}}}});
    CHECK(spotctl::test::slurp(path) == "# HELP a second\n# TYPE a gauge\na 2\n");
    // Nothing but the file itself is left in the directory.
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}
