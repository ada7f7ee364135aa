// --log-format json and --metrics-file on a failing job: what a log shipper and node_exporter
// read from a cron run. Neither needs a server: the run fails to connect, on purpose.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/harness.hpp"

using namespace spotctl::test;
using nlohmann::json;

namespace {

// Every line of `text` as a JSON object; fails the test on a line that is not one.
std::vector<json> json_lines(const std::string& text) {
    std::vector<json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        INFO(line);
        json record = json::parse(line);  // throws, failing the test, on a line that is not JSON
        REQUIRE(record.is_object());
        out.push_back(std::move(record));
    }
    return out;
}

// The fields of the OpenTelemetry log data model spotctl writes, with their types.
void require_log_record(const json& r) {
    INFO(r.dump());
    REQUIRE(r["Timestamp"].is_string());
    const std::string ts = r["Timestamp"];
    REQUIRE(ts.size() >= 19);  // Unix nanoseconds: 19 digits since 2001
    REQUIRE(ts.find_first_not_of("0123456789") == std::string::npos);
    REQUIRE(r["SeverityNumber"].is_number_integer());
    REQUIRE(r["SeverityText"].is_string());
    REQUIRE(r["Body"].is_string());
    REQUIRE(r["Attributes"].is_object());
    REQUIRE(r["Resource"]["service.name"] == "spotctl");
}

}  // namespace

TEST_CASE("a failing job in json log format: one OpenTelemetry record a line, password redacted, metrics keep the last success", "[observe]") {
    TempDir dir;
    const std::string password = "Hunter2-observe-secret";
    const auto metrics = dir.write("prune.prom",
                                   "# HELP spotctl_last_success_timestamp_seconds When the spotctl job last exited 0 (Unix time)\n"
                                   "# TYPE spotctl_last_success_timestamp_seconds gauge\n"
                                   "spotctl_last_success_timestamp_seconds{job=\"prune\"} 1795000000\n");
    // Port 1 refuses the connection at once.
    auto r = run_spotctl({"-v", "prune", "--metrics-file", metrics.string()},
                         {{"SPOTCTL_LOG_FORMAT", "json"}, {"DATABASE_URL", fmt::format("postgresql://spot:{}@127.0.0.1:1/spot", password)}});
    INFO(r.err);
    REQUIRE(r.exit_code == 69);
    REQUIRE(r.err.find(password) == std::string::npos);
    auto records = json_lines(r.err);
    REQUIRE(records.size() >= 2);
    for (const auto& record : records) require_log_record(record);
    // -v: the begin record, INFO, names the command.
    REQUIRE(records.front()["SeverityNumber"] == 9);
    REQUIRE(records.front()["SeverityText"] == "INFO");
    REQUIRE(records.front()["Body"] == "begin prune");
    REQUIRE(records.front()["Attributes"]["command"] == "prune");
    // The error that ends the run is the last record: ERROR, with its exit code and the URL redacted.
    const json& error = records.back();
    REQUIRE(error["SeverityNumber"] == 17);
    REQUIRE(error["SeverityText"] == "ERROR");
    REQUIRE(error["Attributes"]["exit_code"] == 69);
    REQUIRE(error["Attributes"]["command"] == "prune");
    REQUIRE(error["Body"].get<std::string>().rfind("cannot connect to PostgreSQL at postgresql://spot:****@127.0.0.1:1/spot", 0) == 0);

    // The metrics: this run's exit code and duration, the last success from before.
    std::string after = slurp(metrics);
    INFO(after);
    REQUIRE(after.find("\nspotctl_last_success_timestamp_seconds{job=\"prune\"} 1795000000\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_exit_code{job=\"prune\"} 69\n") != std::string::npos);
    REQUIRE(after.find("\nspotctl_duration_seconds{job=\"prune\"} ") != std::string::npos);
    REQUIRE(after.find("rows_affected") == std::string::npos);  // it changed nothing, and says nothing about it
    // Replaced atomically: no temporary file is left beside it.
    REQUIRE(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);

    // A usage error, found while parsing, is a JSON record too when the flag asks for json.
    auto usage = run_spotctl({"--log-format", "json", "prune", "--no-such-flag"});
    REQUIRE(usage.exit_code == 64);
    auto usage_records = json_lines(usage.err);
    REQUIRE(usage_records.size() == 1);
    require_log_record(usage_records[0]);
    REQUIRE(usage_records[0]["Attributes"]["exit_code"] == 64);
    REQUIRE(usage_records[0]["Attributes"]["hint"].is_string());
}
