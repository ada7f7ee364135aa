#include "core/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/errors.hpp"
#include "core/toml_text_guard.hpp"

namespace spotctl {

struct Config::Impl {
    std::string path;
    toml::table table;
};

Config::Config() : impl_(std::make_shared<Impl>()) {}
Config::~Config() = default;
Config::Config(const Config&) = default;
Config& Config::operator=(const Config&) = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

Config Config::load(const std::string& path) {
    if (!std::filesystem::exists(path))
        throw Error(Exit::config, fmt::format("cannot read configuration file '{}': no such file", path));
    auto impl = std::make_shared<Impl>();
    impl->path = path;
    std::ifstream in(path, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad() || !in.is_open())
        throw Error(Exit::config, fmt::format("cannot read configuration file '{}': {}", path, errno_text(errno)));
    check_toml_text(text, path);
    try {
        impl->table = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw Error(Exit::config, fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
    }
    Config config;
    config.impl_ = std::move(impl);
    return config;
}

std::optional<std::string> Config::default_path() {
    std::vector<std::filesystem::path> candidates;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        candidates.emplace_back(std::filesystem::path(xdg) / "spotctl" / "config.toml");
    else if (const char* home = std::getenv("HOME"); home && *home)
        candidates.emplace_back(std::filesystem::path(home) / ".config" / "spotctl" / "config.toml");
    candidates.emplace_back("/etc/spotctl/config.toml");
    for (const auto& c : candidates) {
        std::error_code ec;
        if (std::filesystem::exists(c, ec)) return c.string();
    }
    return std::nullopt;
}

const std::string& Config::path() const { return impl_->path; }

namespace {

std::string normalized(std::string_view key) {
    std::string out(key);
    for (auto& c : out)
        if (c == '-') c = '_';
    return out;
}

// Finds a node by dotted path; '_' and '-' count as the same character within a key.
const toml::node* find(const toml::table& root, std::string_view dotted) {
    const toml::node* node = &root;
    while (!dotted.empty() && node) {
        auto dot = dotted.find('.');
        std::string key = normalized(dotted.substr(0, dot));
        dotted = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot + 1);
        const auto* table = node->as_table();
        if (!table) return nullptr;
        const toml::node* next = nullptr;
        for (const auto& [k, v] : *table)
            if (normalized(k.str()) == key) next = &v;
        node = next;
    }
    return node;
}

std::optional<std::string> scalar_text(const toml::node& node) {
    if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
    if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
    if (node.is_integer()) return std::to_string(*node.value<int64_t>());
    if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
    if (node.is_date() || node.is_time() || node.is_date_time()) {
        std::ostringstream out;
        node.visit([&](auto&& v) { out << v; });
        return out.str();
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::string> Config::values(std::string_view dotted) const {
    std::vector<std::string> out;
    const toml::node* node = find(impl_->table, dotted);
    if (!node) return out;
    if (const auto* array = node->as_array()) {
        for (const auto& element : *array)
            if (auto text = scalar_text(element)) out.push_back(*text);
    } else if (auto text = scalar_text(*node)) {
        out.push_back(*text);
    } else {
        throw Error(Exit::config, fmt::format("{}: '{}' must be a value, not a table", where(dotted), dotted));
    }
    return out;
}

std::optional<std::string> Config::value(std::string_view dotted) const {
    auto all = values(dotted);
    if (all.empty()) return std::nullopt;
    return all.front();
}

std::vector<std::string> Config::keys(std::string_view dotted) const {
    std::vector<std::string> out;
    const toml::node* node = find(impl_->table, dotted);
    if (!node || !node->is_table()) return out;
    for (const auto& [key, value] : *node->as_table()) out.emplace_back(key.str());
    return out;
}

namespace {
void collect_leaves(const toml::table& table, const std::string& prefix, std::vector<std::pair<std::string, std::size_t>>& out) {
    for (const auto& [key, node] : table) {
        std::string path = prefix.empty() ? normalized(key.str()) : prefix + "." + normalized(key.str());
        if (const auto* sub = node.as_table())
            collect_leaves(*sub, path, out);
        else
            out.emplace_back(path, node.source().begin.line);
    }
}
}  // namespace

std::vector<std::string> Config::leaf_keys() const {
    std::vector<std::pair<std::string, std::size_t>> leaves;
    collect_leaves(impl_->table, "", leaves);
    std::stable_sort(leaves.begin(), leaves.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<std::string> out;
    out.reserve(leaves.size());
    for (auto& [path, line] : leaves) out.push_back(std::move(path));
    return out;
}

std::string Config::where(std::string_view dotted) const {
    const toml::node* node = find(impl_->table, dotted);
    if (!node) return impl_->path;
    return fmt::format("{}:{}", impl_->path, node->source().begin.line);
}

}  // namespace spotctl
