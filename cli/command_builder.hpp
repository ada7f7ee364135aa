#pragma once
// How a command area declares its CLI: subcommands, options, which options may also come
// from the environment or the configuration file, and the action each subcommand runs.
// The root app, help, man-page checks and shell completion all read the same CLI11 tree.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::cli {

// An action returns the process exit code (0, or Exit::failure for a failed --check).
using Action = std::function<int(Context&)>;

// An option that falls back to an environment variable, then to a configuration key. A
// configuration table that commands read themselves ([health.http.NAME], [cache.namespaces.NAME])
// is a Setting without an option, whose config_key is the table's prefix ending in ".*".
struct Setting {
    CLI::Option* option;  // nullptr for a table
    const CLI::App* owner;   // the (sub)command that declares it
    std::string env;         // may be empty
    std::string config_key;  // dotted, e.g. "migrate.lock_timeout"; may be empty
};

// The -o formats a command writes; a command that declares none writes listings.
using OutputFormats = std::map<const CLI::App*, std::vector<std::string>>;
inline const std::vector<std::string> listing_formats{"table", "json", "csv"};

class CommandBuilder {
public:
    CommandBuilder(CLI::App& app, std::vector<Setting>& settings, std::map<const CLI::App*, Action>& actions,
                   std::map<const CLI::App*, int>& error_codes, std::string& metrics_file, OutputFormats& formats)
        : app_(app), settings_(settings), actions_(actions), error_codes_(error_codes), metrics_file_(metrics_file), formats_(formats) {}

    CLI::App& app() { return app_; }

    // A subcommand of this one, with its own builder.
    CommandBuilder subcommand(const std::string& name, const std::string& description) {
        CLI::App* sub = app_.add_subcommand(name, description);
        return CommandBuilder(*sub, settings_, actions_, error_codes_, metrics_file_, formats_);
    }

    void action(Action a) { actions_[&app_] = std::move(a); }

    // Any error of this command (and its subcommands) exits with `code` instead of the
    // sysexits code: `health` follows the monitoring convention, where 3 is UNKNOWN.
    void error_exit_code(int code) { error_codes_[&app_] = code; }

    // The -o formats this command writes, when not table, json and csv: any other is refused
    // before the command runs (exit 64), and --help lists them. Empty: the command ignores -o.
    void output_formats(std::vector<std::string> formats) { formats_[&app_] = std::move(formats); }

    // Lets `option` be set by the environment variable `env` or by `config_key` in the file.
    CLI::Option* setting(CLI::Option* option, std::string env, std::string config_key) {
        if (!env.empty()) option->description(option->get_description() + " [env: " + env + "]");
        settings_.push_back({option, &app_, std::move(env), std::move(config_key)});
        return option;
    }

    // Declares that this command reads the configuration table `prefix` (and everything under
    // it) itself, so `spotctl config check` knows its keys are not typos.
    void config_table(const std::string& prefix) { settings_.push_back({nullptr, &app_, "", prefix + ".*"}); }

    // A job that cron or a timer runs: --metrics-file PATH (also `config_key`), which the
    // dispatcher writes after every run, failed ones included (core/job_metrics.hpp).
    void job_metrics(std::string config_key) {
        setting(app_.add_option("--metrics-file", metrics_file_,
                                "Write node_exporter textfile metrics here after each run: last success time, duration, "
                                "exit code, rows or keys affected (spotctl-metrics(7))"),
                "", std::move(config_key));
    }

    // Text shown under the options in --help.
    void examples(const std::string& text) { app_.footer("\nExamples:\n" + text); }

private:
    CLI::App& app_;
    std::vector<Setting>& settings_;
    std::map<const CLI::App*, Action>& actions_;
    std::map<const CLI::App*, int>& error_codes_;
    std::string& metrics_file_;  // one for all jobs: a run selects one command
    OutputFormats& formats_;
};

// "cache purge": the command names from below the root down to `leaf`; "" for the root itself.
inline std::string command_path(const CLI::App* leaf) {
    std::vector<const CLI::App*> chain;
    for (const CLI::App* a = leaf; a && a->get_parent(); a = a->get_parent()) chain.push_back(a);
    std::string path;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!path.empty()) path += ' ';
        path += (*it)->get_name();
    }
    return path;
}

}  // namespace spotctl::cli
