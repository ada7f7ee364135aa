#pragma once
// The TOML configuration file. Settings are looked up by dotted path ("migrate.lock_timeout");
// values come back as the strings a command-line option would take, so one code path
// (cli/settings) applies them with flag > environment > file > default precedence.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spotctl {

class Config {
public:
    Config();  // an empty configuration: no file
    ~Config();
    Config(const Config&);
    Config& operator=(const Config&);
    Config(Config&&) noexcept;
    Config& operator=(Config&&) noexcept;

    // Parses the file. A missing file or a syntax error throws Error(Exit::config)
    // with "path:line:column: what is wrong".
    static Config load(const std::string& path);

    // $XDG_CONFIG_HOME/spotctl/config.toml (or ~/.config/...), then /etc/spotctl/config.toml:
    // the first that exists, or nothing.
    static std::optional<std::string> default_path();

    const std::string& path() const;

    // Scalars give one string (booleans as "true"/"false"), arrays one per element; absent gives none.
    // A key may be written with '_' or '-' between words, in any mix.
    std::vector<std::string> values(std::string_view dotted) const;
    std::optional<std::string> value(std::string_view dotted) const;

    // The keys of a table such as "cache.namespaces", in name order (toml++ keeps tables sorted).
    std::vector<std::string> keys(std::string_view dotted) const;

    // Every value's dotted path in the file ("prune.batch_size", with '_' between words), in
    // file order: what `spotctl config check` compares with the settings spotctl knows.
    std::vector<std::string> leaf_keys() const;

    // "path:line" of a setting, for messages that point at the file.
    std::string where(std::string_view dotted) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> impl_;
};

}  // namespace spotctl
