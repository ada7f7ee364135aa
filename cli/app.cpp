#include "cli/app.hpp"

#include <chrono>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>

#include "core/build_info.hpp"
#include "cli/command_builder.hpp"
#include "cli/completion.hpp"
#include "cli/config_command.hpp"
#include "cli/input_errors.hpp"
#include "cli/registry.hpp"
#include "cli/suggest.hpp"
#include "cli/validators.hpp"
#include "core/errors.hpp"
#include "core/job_metrics.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"

namespace spotctl::cli {
namespace {

struct RawGlobals {
    GlobalOptions options;
    std::string connect_timeout = "5s";
    std::string wait_for_db = "0s";
    std::string log_format = "text";
    bool version = false;
};

void define_globals(CommandBuilder& root, RawGlobals& g) {
    CLI::App& app = root.app();
    root.setting(app.add_option("--database-url", g.options.database_url,
                                "PostgreSQL URL or key=value string (default: libpq's PG* variables and .pgpass)"),
                 "DATABASE_URL", "database_url");
    root.setting(app.add_option("--redis-url", g.options.redis_url,
                                "Redis URL: redis://[user:pass@]host:port/db or unix:///path.sock?db=N")
                     ->default_str(g.options.redis_url),
                 "REDIS_URL", "redis_url");
    app.add_option("--config", g.options.config_file,
                   "Configuration file (default: $XDG_CONFIG_HOME/spotctl/config.toml, then /etc/spotctl/config.toml) "
                   "[env: SPOTCTL_CONFIG]");
    root.setting(app.add_option("-o,--output", g.options.output,
                                "Output format: table, json or csv for listings; nagios, prometheus (health); pdf (reports)")
                     ->check(CLI::IsMember({"table", "json", "csv", "nagios", "prometheus", "pdf"}))
                     ->default_str("table"),
                 "SPOTCTL_OUTPUT", "output");
    app.add_flag("--wide", g.options.wide, "Tables on a terminal: show long text in full instead of cutting it to the terminal's width");
    app.add_flag("-q,--quiet", g.options.quiet, "Print errors only: no progress, no notices");
    app.add_flag("-v,--verbose", g.options.verbose, "More detail on stderr (-vv for debug)");
    root.setting(app.add_option("--connect-timeout", g.connect_timeout, "Give up connecting after this long")
                     ->check(duration_value())
                     ->default_str("5s"),
                 "SPOTCTL_CONNECT_TIMEOUT", "connect_timeout");
    root.setting(app.add_option("--wait-for-db", g.wait_for_db,
                                "Wait this long for PostgreSQL to accept connections (CI starts it beside us)")
                     ->check(duration_value())
                     ->default_str("0s"),
                 "SPOTCTL_WAIT_FOR_DB", "wait_for_db");
    root.setting(app.add_option("--log-format", g.log_format,
                                "Log lines on stderr as text, or json: one OpenTelemetry log record per line")
                     ->check(CLI::IsMember({"text", "json"}))
                     ->default_str("text"),
                 "SPOTCTL_LOG_FORMAT", "log_format");
    app.add_flag("-V,--version", g.version, "Print the version and exit");
}

// The log format is needed before parsing too, so that a usage error is a JSON record when
// json is asked for on the command line or in the environment (the file is read after parsing).
void early_log_format(int argc, char** argv) {
    std::string_view name;
    if (const char* env = std::getenv("SPOTCTL_LOG_FORMAT"); env && *env) name = env;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") break;
        if (a == "--log-format" && i + 1 < argc) name = argv[i + 1];
        if (a.rfind("--log-format=", 0) == 0) name = a.substr(13);
    }
    log::Format format = log::Format::text;
    if (log::parse_format(name, format)) log::set_format(format);
}

// --config is needed before parsing, to know where the fallback settings come from.
std::string config_path_from(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") break;
        if (a == "--config" && i + 1 < argc) return argv[i + 1];
        if (a.rfind("--config=", 0) == 0) return std::string(a.substr(9));
    }
    if (const char* env = std::getenv("SPOTCTL_CONFIG"); env && *env) return env;
    return Config::default_path().value_or("");
}

// flag > environment > configuration file > default. CLI11's own config support applies the
// file before the environment, so the fallbacks are applied here, after parsing.
void apply_fallbacks(const std::vector<Setting>& settings, const Config& config) {
    for (const auto& s : settings) {
        CLI::Option* opt = s.option;
        if (!opt) continue;  // a table the command reads itself
        // Only options of the commands actually given (the root always is).
        if (opt->count() > 0 || (s.owner->get_parent() != nullptr && !s.owner->parsed())) continue;
        std::vector<std::string> values;
        std::string source;
        if (!s.env.empty()) {
            if (const char* v = std::getenv(s.env.c_str()); v && *v) {
                values.emplace_back(v);
                source = "environment variable " + s.env;
            }
        }
        if (values.empty() && !s.config_key.empty()) {
            values = config.values(s.config_key);
            if (!values.empty()) source = config.where(s.config_key);
        }
        if (values.empty()) continue;
        try {
            for (const auto& v : values) opt->add_result(v);
            opt->run_callback();
        } catch (const CLI::Error& e) {
            throw Error(Exit::config, fmt::format("{}: invalid value for {}: {}", source, opt->get_name(), e.what()));
        }
    }
}

const CLI::App* selected_leaf(const CLI::App& app) {
    const CLI::App* current = &app;
    for (;;) {
        auto subs = current->get_subcommands();
        if (subs.empty()) return current;
        current = subs.front();
    }
}

// Writing to stdout can fail (full disk, closed pipe): never report success then.
int finish_stdout(int code) {
    std::cout.flush();
    if (std::fflush(stdout) != 0 || !std::cout.good()) {
        if (errno != EPIPE) log::command_error("cannot write to standard output", "", static_cast<int>(Exit::cant_write));
        return code == 0 ? static_cast<int>(Exit::cant_write) : code;
    }
    return code;
}

void define_help(CommandBuilder& root, std::vector<std::string>& topic) {
    CommandBuilder help = root.subcommand("help", "Show help for a command: spotctl help migrate up");
    help.output_formats({});
    help.app().add_option("command", topic, "The command to explain");
    help.action([&root, &topic](Context&) {
        const CLI::App* target = &root.app();
        for (const auto& word : topic) {
            const CLI::App* next = nullptr;
            for (const CLI::App* sub : target->get_subcommands([](const CLI::App*) { return true; }))
                if (sub->get_name() == word) next = sub;
            if (!next) throw Error(Exit::usage, fmt::format("unknown command '{}'", word), "run 'spotctl --help' for the list");
            target = next;
        }
        std::cout << target->help();
        return 0;
    });
}

const std::vector<std::string>& formats_of(const CLI::App* leaf, const OutputFormats& formats) {
    auto it = formats.find(leaf);
    return it == formats.end() ? listing_formats : it->second;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

// Each command's --help says which -o it writes, above its examples.
void list_output_formats(CLI::App& app, const std::map<const CLI::App*, Action>& actions, const OutputFormats& formats) {
    for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (const auto& f = formats_of(sub, formats); actions.count(sub) && !f.empty())
            sub->footer("\nOutput formats (-o): " + joined(f) + "\n" + sub->get_footer());
        list_output_formats(*sub, actions, formats);
    }
}

// -o names a format the command does not write: a usage error before it connects anywhere.
void require_output_format(const CLI::App* leaf, const OutputFormats& formats, const std::string& output) {
    const auto& f = formats_of(leaf, formats);
    if (f.empty() || std::find(f.begin(), f.end(), output) != f.end()) return;
    throw Error(Exit::usage, fmt::format("spotctl {} cannot write -o {}", command_path(leaf), output),
                fmt::format("it writes -o {}", joined(f)));
}

// Defining every command's options is about a fifth of what `spotctl --version` or a health
// check costs (CLI11 allocates each option and subcommand). A command line that names command
// areas gets only those, `--version` alone none; help, completion, config and a line naming
// no area get every one.
std::vector<const CommandArea*> areas_to_define(int argc, char** argv) {
    std::vector<const CommandArea*> named, all;
    bool version = false;
    for (const auto& area : command_areas()) {
        all.push_back(&area);
        for (int i = 1; i < argc; ++i)
            if (area.name == argv[i]) {
                named.push_back(&area);
                break;
            }
    }
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "help" || arg == "completion" || arg == "config") return all;
        version = version || arg == "--version" || arg == "-V";
    }
    return named.empty() && !version ? all : named;
}

// A configuration key of an area this run did not define ("prune.batch_size" while running
// health) cannot be judged here; `spotctl config check` and that area's own runs judge it.
bool of_undefined_area(const std::string& key, const std::vector<const CommandArea*>& defined) {
    std::string_view head = std::string_view(key).substr(0, key.find('.'));
    if (head.size() == key.size()) return false;  // a global setting
    bool an_area = false;
    for (const auto& area : command_areas()) an_area = an_area || area.name == head;
    for (const auto* area : defined)
        if (area->name == head) return false;
    return an_area;
}

// After every run of a job given --metrics-file, its failures too. A metrics file that cannot be
// written fails a run that succeeded (exit 73); a failed run keeps its own exit code.
int write_job_metrics(const std::string& path, const CLI::App& leaf, Context* context, int code,
                      std::chrono::steady_clock::time_point started) {
    job_metrics::Report nothing;
    const job_metrics::Report& report = context ? context->job() : nothing;
    if (report.dry_run) {
        log::info("dry run: {} not written", path);
        return code;
    }
    job_metrics::Run run{job_metrics::job_name(command_path(&leaf)), code,
                         std::chrono::steady_clock::now() - started, std::chrono::system_clock::now()};
    try {
        job_metrics::write(path, run, report);
    } catch (const Error& e) {
        if (code != 0) {
            log::warn("{}", e.what());
            return code;
        }
        log::command_error(e.what(), e.hint(), static_cast<int>(e.code()));
        return static_cast<int>(e.code());
    }
    return code;
}

}  // namespace

int run(int argc, char** argv) {
    // A closed pipe or a lost socket must be an error we report, not a silent death.
    (void)std::signal(SIGPIPE, SIG_IGN);  // cannot fail for a valid signal number
    early_log_format(argc, argv);

    CLI::App app("spotctl: operations toolkit for the Spot platform (PostgreSQL and Redis)", "spotctl");
    app.fallthrough();  // global options may follow the subcommand
    app.require_subcommand(0, 1);
    app.footer(
        "\nRun 'spotctl help COMMAND' or 'spotctl COMMAND --help' for a command's options and examples.\n"
        "Exit codes: 0 ok, 1 check failed or declined, 64 usage, 65 bad data, 69 service unavailable,\n"
        "70 internal, 73 cannot write, 75 try again (lock held), 77 not permitted, 78 bad configuration.");

    std::vector<Setting> settings;
    std::map<const CLI::App*, Action> actions;
    std::map<const CLI::App*, int> error_codes;
    std::string metrics_file;
    OutputFormats formats;
    CommandBuilder root(app, settings, actions, error_codes, metrics_file, formats);
    RawGlobals globals;
    define_globals(root, globals);
    const auto defined = areas_to_define(argc, argv);
    for (const auto* area : defined) {
        CommandBuilder builder = root.subcommand(area->name, area->summary);
        area->define(builder);
    }
    std::vector<std::string> help_topic;
    define_help(root, help_topic);
    std::string shell;
    CommandBuilder completion = root.subcommand("completion", "Print a shell completion script: bash, zsh or fish");
    completion.app().add_option("shell", shell, "The shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
    completion.action([&app, &shell](Context& ctx) {
        ctx.out() << completion_script(app, shell);
        return 0;
    });
    completion.output_formats({});
    completion.examples("  source <(spotctl completion bash)\n  spotctl completion fish > ~/.config/fish/completions/spotctl.fish  # illustrative: writes into your fish configuration");
    CommandBuilder config_cmd = root.subcommand("config", "Show every setting and where it comes from; check the configuration file");
    define_config(config_cmd, settings);
    list_output_formats(app, actions, formats);

    int code = 0;
    bool errored = false;  // an error (not a returned code), which a command may map to its own code
    std::string error_message, error_hint;
    std::unique_ptr<Context> context;  // outlives a failure: the job's metrics are written after it
    const auto started = std::chrono::steady_clock::now();
    try {
        // `--as ME` (an option of the command) may come before the command, as global ones may after it.
        std::vector<std::string> args = hoist_command_options(app, {argv + 1, argv + argc});
        try {
            std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 reads the vector from its end
            app.parse(reversed);
        } catch (const CLI::ParseError& e) {
            if (e.get_exit_code() == 0) return finish_stdout(app.exit(e));
            if (auto mistake = diagnose(app, args)) throw Error(Exit::usage, mistake->message, mistake->hint);
            throw Error(Exit::usage, e.what(), usage_line(typed_command(app, args)));
        }
        if (globals.version) {
            std::cout << "spotctl " << build::version << '\n';
            return finish_stdout(0);
        }
        Config config;
        if (std::string path = config_path_from(argc, argv); !path.empty()) config = Config::load(path);
        apply_fallbacks(settings, config);

        GlobalOptions options = globals.options;
        options.connect_timeout = parse_duration(globals.connect_timeout, "--connect-timeout");
        options.wait_for_db = parse_duration(globals.wait_for_db, "--wait-for-db");
        log::Format log_format = log::Format::text;
        (void)log::parse_format(globals.log_format, log_format);  // CLI11 checked the name
        log::set_format(log_format);
        log::set_level(options.quiet ? log::Level::error
                       : options.verbose >= 2 ? log::Level::debug
                       : options.verbose == 1 ? log::Level::info
                                              : log::Level::warn);
        Progress::set_enabled(!options.quiet);

        const CLI::App* leaf = selected_leaf(app);
        // A misspelt key would otherwise be ignored without a word. `config check` lists them itself.
        if (command_path(leaf) != "config check")
            for (const auto& [key, where] : unknown_config_keys(settings, config))
                if (!of_undefined_area(key, defined))
                    log::warn("{}: unknown setting '{}' is ignored (spotctl config check)", where, key);
        auto action = actions.find(leaf);
        if (action != actions.end()) require_output_format(leaf, formats, options.output);
        if (action == actions.end()) {
            // A command group without its subcommand: show what it offers (not amid JSON records).
            if (log::format() == log::Format::text) std::cerr << leaf->help();
            throw Error(Exit::usage, leaf == &app ? "no command given" : fmt::format("'{}' needs a subcommand", command_path(leaf)));
        }
        context = std::make_unique<Context>(options, command_path(leaf), config);
        log::set_command(context->command());
        log::info("begin {}", context->command());
        code = action->second(*context);
        auto took = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);
        if (log::level() <= log::Level::info)
            log::write(log::Level::info, fmt::format("end {}: exit {} after {}", context->command(), code, format_duration(took)),
                       {{"exit_code", static_cast<long long>(code)}, {"duration_s", std::chrono::duration<double>(took).count()}});
    } catch (const Error& raw) {
        const Error e = for_a_person(raw, *selected_leaf(app));
        error_message = e.what();
        error_hint = e.hint();
        code = static_cast<int>(e.code());
        errored = true;
    } catch (const CLI::Error& e) {
        error_message = e.what();
        code = static_cast<int>(Exit::usage);
        errored = true;
    } catch (const std::exception& e) {
        error_message = fmt::format("internal error: {}", e.what());
        error_hint = "please report this with the command you ran";
        code = static_cast<int>(Exit::internal);
        errored = true;
    }
    if (errored) {
        for (const CLI::App* a = selected_leaf(app); a; a = a->get_parent())
            if (auto it = error_codes.find(a); it != error_codes.end()) {
                code = it->second;
                break;
            }
    }
    if (!metrics_file.empty()) code = write_job_metrics(metrics_file, *selected_leaf(app), context.get(), code, started);
    if (errored) log::command_error(error_message, error_hint, code);
    return finish_stdout(code);
}

}  // namespace spotctl::cli
