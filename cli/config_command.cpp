#include "cli/config_command.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <set>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "core/redact.hpp"

namespace spotctl::cli {
namespace {

std::string underscored(std::string key) {
    for (auto& c : key)
        if (c == '-') c = '_';
    return key;
}

std::string owner_name(const CLI::App* app) {
    std::string path = command_path(app);
    return path.empty() ? "(global)" : path;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
    return out;
}

// Several commands may share a key (migrate.dir): show it once.
std::vector<const Setting*> unique_settings(const std::vector<Setting>& settings) {
    std::vector<const Setting*> out;
    std::set<std::string> seen;
    for (const auto& s : settings)
        if (s.option && !s.config_key.empty() && seen.insert(s.config_key).second) out.push_back(&s);
    return out;
}

int show(Context& ctx, const std::vector<Setting>& settings) {
    const Config& config = ctx.config();
    auto writer = ctx.writer();
    writer->begin({{"key"}, {"value"}, {"source"}, {"option"}, {"environment"}, {"command"}});
    for (const Setting* s : unique_settings(settings)) {
        std::string value, source;
        if (const char* env = s->env.empty() ? nullptr : std::getenv(s->env.c_str()); env && *env) {
            value = env;
            source = "environment";
        } else if (auto values = config.values(s->config_key); !values.empty()) {
            value = joined(values);
            source = config.where(s->config_key);
        } else {
            value = s->option->get_default_str();
            source = "default";
        }
        // A URL in a setting may carry a password; nothing leaves this command unredacted.
        value = redact_url(value);
        writer->row({s->config_key, value.empty() ? exporters::Cell{} : exporters::Cell{value}, source,
                     s->option->get_name(), s->env.empty() ? exporters::Cell{} : exporters::Cell{s->env},
                     owner_name(s->owner)});
    }
    writer->end();
    return 0;
}

int check(Context& ctx, const std::vector<Setting>& settings) {
    const Config& config = ctx.config();
    if (config.path().empty())
        throw Error(Exit::config, "no configuration file to check",
                    "give --config FILE, set SPOTCTL_CONFIG, or create ~/.config/spotctl/config.toml");
    auto unknown = unknown_config_keys(settings, config);
    for (const auto& [key, where] : unknown) ctx.out() << fmt::format("{}: unknown setting '{}'\n", where, key);
    if (!unknown.empty())
        throw Error(Exit::config, fmt::format("{} unknown setting{} in '{}'", unknown.size(), unknown.size() == 1 ? "" : "s",
                                              config.path()),
                    "see spotctl.toml(5) or `spotctl config show` for the settings spotctl reads");
    if (!ctx.options().quiet)
        ctx.out() << fmt::format("{}: {} settings, all known\n", config.path(), config.leaf_keys().size());
    return 0;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> unknown_config_keys(const std::vector<Setting>& settings,
                                                                     const Config& config) {
    std::set<std::string> exact;
    std::vector<std::string> prefixes;
    for (const auto& s : settings) {
        if (s.config_key.empty()) continue;
        std::string key = underscored(s.config_key);
        if (key.size() > 2 && key.ends_with(".*"))
            prefixes.push_back(key.substr(0, key.size() - 1));  // "health.http."
        else
            exact.insert(key);
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& key : config.leaf_keys()) {
        if (exact.count(key)) continue;
        bool in_table = false;
        for (const auto& p : prefixes) in_table = in_table || key.rfind(p, 0) == 0;
        if (!in_table) out.emplace_back(key, config.where(key));
    }
    return out;
}

void define_config(CommandBuilder& builder, const std::vector<Setting>& settings) {
    builder.app().require_subcommand(1);
    CommandBuilder show_cmd = builder.subcommand("show", "Every setting: its value now, and where that comes from");
    show_cmd.action([&settings](Context& ctx) { return show(ctx, settings); });
    CommandBuilder check_cmd = builder.subcommand("check", "Check the configuration file: syntax and unknown settings (exit 78)");
    check_cmd.action([&settings](Context& ctx) { return check(ctx, settings); });
    CommandBuilder path_cmd = builder.subcommand("path", "Print the configuration file in use, if any");
    path_cmd.action([](Context& ctx) {
        if (ctx.config().path().empty()) {
            if (!ctx.options().quiet) log::status("no configuration file (defaults, flags and environment only)");
            return 1;
        }
        ctx.out() << ctx.config().path() << '\n';
        return 0;
    });
    builder.examples(
        "  spotctl config show\n"
        "  spotctl config show -o json | jq '.[] | select(.source != \"default\")'\n"
        "  spotctl --config /etc/spotctl/config.toml config check   # illustrative: needs an installed configuration file");
}

}  // namespace spotctl::cli
