#include "cli/suggest.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "cli/command_builder.hpp"

namespace spotctl::cli {
namespace {

std::vector<const CLI::App*> subcommands(const CLI::App* app) {
    return app->get_subcommands([](const CLI::App* a) { return !a->get_name().empty(); });
}

const CLI::App* subcommand_named(const CLI::App* app, std::string_view name) {
    for (const CLI::App* sub : subcommands(app))
        if (sub->get_name() == name) return sub;
    return nullptr;
}

// An option of the command or of a command above it (their options fall through).
const CLI::Option* find_option(const CLI::App* app, const std::string& name) {
    for (const CLI::App* a = app; a; a = a->get_parent())
        if (const CLI::Option* o = a->get_option_no_throw(name); o && !o->get_positional()) return o;
    return nullptr;
}

bool takes_value(const CLI::Option* o) { return o->get_type_size_max() > 0; }

std::vector<std::string> option_names(const CLI::App* app) {
    std::vector<std::string> names;
    for (const CLI::App* a = app; a; a = a->get_parent())
        for (const CLI::Option* o : a->get_options()) {
            for (const auto& l : o->get_lnames()) names.push_back("--" + l);
            for (const auto& s : o->get_snames()) names.push_back("-" + s);
        }
    return names;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += fmt::format("{}'{}'", i == 0 ? "" : i + 1 == names.size() ? " or " : ", ", names[i]);
    return out;
}

std::string with_usage(const std::string& did_you_mean, const CLI::App* app) {
    return did_you_mean.empty() ? usage_line(app) : did_you_mean + " " + usage_line(app);
}

// One step of reading a command line: where we are, and the positional slots left to fill.
struct Reader {
    const CLI::App* app;
    std::size_t positionals_left;
    bool open_ended = false;  // a positional that takes any number of words

    explicit Reader(const CLI::App* a) : app(a), positionals_left(0) {
        for (const CLI::Option* o : a->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
            if (o->get_items_expected_max() > 1) open_ended = true;
            ++positionals_left;
        }
    }
    bool takes_positional() {
        if (open_ended) return true;
        if (positionals_left == 0) return false;
        --positionals_left;
        return true;
    }
};

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::vector<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string_view bare = word.substr(std::min(word.find_first_not_of('-'), word.size()));
    std::size_t limit = bare.size() <= 4 ? 1 : 2;
    std::size_t best = limit + 1;
    std::vector<std::string> out;
    for (const auto& c : candidates) {
        if (c == word) continue;
        std::size_t d = edit_distance(word, c);
        if (d < best) {
            best = d;
            out.clear();
        }
        if (d == best && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
    if (!out.empty() || bare.size() < 3) return out;
    for (const auto& c : candidates)
        if (c.rfind(word, 0) == 0 && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    return out;
}

std::string usage_line(const CLI::App* app) {
    std::string path = command_path(app);
    std::string line = "usage: spotctl" + (path.empty() ? "" : " " + path);
    line += " [OPTIONS]";
    for (const CLI::Option* o : app->get_options([](const CLI::Option* o) { return o->get_positional(); })) {
        std::string name = o->get_name();
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (o->get_items_expected_max() > 1) name += "...";
        line += o->get_required() ? " " + name : " [" + name + "]";
    }
    if (!subcommands(app).empty()) line += " COMMAND";
    return line;
}

const CLI::App* typed_command(const CLI::App& root, const std::vector<std::string>& args) {
    const CLI::App* app = &root;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") break;
        if (a.size() > 1 && a[0] == '-') {
            std::string name = a.substr(0, a.find('='));
            if (name.size() > 2 && name[1] != '-') name.resize(2);  // -ojson, -vv
            const CLI::Option* o = find_option(app, name);
            if (o && takes_value(o) && a.find('=') == std::string::npos && name.size() == a.size()) ++i;
            continue;
        }
        if (const CLI::App* sub = subcommand_named(app, a)) app = sub;
    }
    return app;
}

std::optional<Mistake> diagnose(const CLI::App& root, const std::vector<std::string>& args) {
    Reader at(&root);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") break;
        if (a.size() > 1 && a[0] == '-' && !std::isdigit(static_cast<unsigned char>(a[1]))) {
            std::string name = a.substr(0, a.find('='));
            if (name.size() > 2 && name[1] != '-') name.resize(2);
            const CLI::Option* o = find_option(at.app, name);
            if (!o) {
                auto near = nearest(name, option_names(at.app));
                std::string where = command_path(at.app);
                return Mistake{fmt::format("unknown option '{}' for 'spotctl{}'", name, where.empty() ? "" : " " + where),
                               with_usage(near.empty() ? "" : "did you mean " + quoted_list(near) + "?", at.app)};
            }
            if (takes_value(o) && a.find('=') == std::string::npos && name.size() == a.size()) ++i;
            continue;
        }
        if (const CLI::App* sub = subcommand_named(at.app, a)) {
            at = Reader(sub);
            continue;
        }
        std::vector<std::string> names;
        for (const CLI::App* sub : subcommands(at.app)) names.push_back(sub->get_name());
        auto near = nearest(a, names);
        if (near.empty() && at.takes_positional()) continue;
        std::string where = command_path(at.app);
        std::string command = "spotctl" + (where.empty() ? "" : " " + where);
        if (names.empty())
            return Mistake{fmt::format("unexpected argument '{}' for '{}'", a, command), usage_line(at.app)};
        return Mistake{fmt::format("unknown command '{}' for '{}'", a, command),
                       with_usage(near.empty() ? fmt::format("the commands are {}.", quoted_list(names))
                                               : "did you mean " + quoted_list(near) + "?",
                                  at.app)};
    }
    return std::nullopt;
}

std::vector<std::string> hoist_command_options(const CLI::App& root, std::vector<std::string> args) {
    const CLI::App* leaf = typed_command(root, args);
    if (leaf == &root) return args;
    std::vector<std::string> before, moved;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.empty() || a[0] != '-' || a == "--") break;  // the command starts here
        std::string name = a.substr(0, a.find('='));
        const CLI::Option* global = root.get_option_no_throw(name);
        const CLI::Option* own = global ? nullptr : find_option(leaf, name);
        auto& into = own ? moved : before;
        into.push_back(a);
        const CLI::Option* o = global ? global : own;
        if (o && takes_value(o) && a.find('=') == std::string::npos && i + 1 < args.size()) into.push_back(args[++i]);
    }
    if (moved.empty()) return args;
    std::vector<std::string> out = before;
    std::size_t end = i;  // the command's words, up to a "--"; its options go before that
    while (end < args.size() && args[end] != "--") ++end;
    for (std::size_t k = i; k < end; ++k) out.push_back(args[k]);
    out.insert(out.end(), moved.begin(), moved.end());
    for (std::size_t k = end; k < args.size(); ++k) out.push_back(args[k]);
    return out;
}

}  // namespace spotctl::cli
