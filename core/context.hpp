#pragma once
// What a command runs with: the global options, the configuration file, and connections
// opened on first use (so `health` still runs and reports when PostgreSQL is down, and a
// command that needs no database never connects). Commands take a Context, never CLI11 types.
#include <iosfwd>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/duration.hpp"
#include "core/job_metrics.hpp"
#include "core/pg.hpp"
#include "core/redis.hpp"
#include "exporters/row_writer.hpp"

namespace spotctl {

struct GlobalOptions {
    std::string database_url;  // empty: libpq defaults
    std::string redis_url = "redis://127.0.0.1:6379/0";
    std::string config_file;
    std::string output = "table";
    bool wide = false;  // tables on a terminal: every character, not cut to its width
    bool quiet = false;
    int verbose = 0;
    Millis connect_timeout{5000};
    Millis wait_for_db{0};
};

class Context {
public:
    Context(GlobalOptions options, std::string command, Config config);
    ~Context();

    const GlobalOptions& options() const { return options_; }
    const std::string& command() const { return command_; }
    const Config& config() const { return config_; }

    // Settings for a PostgreSQL session named "spotctl <command>".
    pg::Settings pg_settings() const;
    pg::Connection& db();
    redis::Client& redis();

    std::ostream& out();
    exporters::Format format() const;
    std::unique_ptr<exporters::RowWriter> writer(const exporters::WriterOptions& extra = {});

    // A destructive step: asks on a terminal; without one, `yes` must have been given.
    // Declining throws Error(Exit::failure); no terminal and no --yes throws Error(Exit::usage).
    void confirm(const std::string& question, bool yes) const;

    // What a scheduled job tells its --metrics-file (core/job_metrics.hpp): rows or keys it
    // changed, extra labels, detail metrics. Written by the dispatcher after the run, even a failed one.
    job_metrics::Report& job() { return job_; }

private:
    GlobalOptions options_;
    std::string command_;
    Config config_;
    std::unique_ptr<pg::Connection> db_;
    std::unique_ptr<redis::Client> redis_;
    job_metrics::Report job_;
};

}  // namespace spotctl
