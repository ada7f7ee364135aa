#include "commands/migrate/migration_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "core/parse_number.hpp"
#include "core/sha256.hpp"

namespace spotctl::migrate {
namespace fs = std::filesystem;

bool is_no_transaction(std::string_view sql) {
    if (sql.rfind("\xEF\xBB\xBF", 0) == 0) sql.remove_prefix(3);  // UTF-8 BOM
    auto line = sql.substr(0, sql.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line == no_transaction_marker;
}

namespace {

// One open, one fstat, one read: status reads every file, so this is on the hot path.
std::string read_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(Exit::data, fmt::format("cannot read '{}': {}", path.string(), errno_text(errno)));
    struct stat st {};
    std::string data;
    if (::fstat(fd, &st) == 0) data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t filled = 0;
    for (;;) {
        if (filled == data.size()) data.resize(filled + 4096);
        ssize_t n = ::read(fd, data.data() + filled, data.size() - filled);
        if (n < 0) {
            int err = errno;
            ::close(fd);
            throw Error(Exit::data, fmt::format("cannot read '{}': {}", path.string(), errno_text(err)));
        }
        if (n == 0) break;
        filled += static_cast<std::size_t>(n);
    }
    ::close(fd);
    data.resize(filled);
    return data;
}

// NNNN_name.up.sql / NNNN_name.down.sql, parsed by hand (std::regex is slow to build and run).
struct FileName {
    std::string version_text;
    std::string name;
    bool up = false;
};
std::optional<FileName> parse_file_name(std::string_view file) {
    FileName out;
    std::string_view rest;
    if (file.ends_with(".up.sql")) {
        out.up = true;
        rest = file.substr(0, file.size() - 7);
    } else if (file.ends_with(".down.sql")) {
        rest = file.substr(0, file.size() - 9);
    } else {
        return std::nullopt;
    }
    std::size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 0 || digits + 1 >= rest.size() || rest[digits] != '_') return std::nullopt;
    for (char c : rest.substr(digits + 1))
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return std::nullopt;
    out.version_text = std::string(rest.substr(0, digits));
    out.name = std::string(rest.substr(digits + 1));
    return out;
}

Script read_script(const fs::path& path) {
    Script s;
    s.path = path;
    s.sql = read_file(path);
    s.no_transaction = is_no_transaction(s.sql);
    return s;
}

}  // namespace

std::vector<MigrationFile> load_migrations(const fs::path& dir, bool read_down) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(Exit::config, fmt::format("cannot read migrations directory '{}': no such directory", dir.string()),
                    "give the directory with --dir, or set migrate.dir in the configuration file");
    std::map<long long, MigrationFile> by_version;
    std::map<long long, fs::path> downs;
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path().filename().string());
    std::sort(entries.begin(), entries.end());
    for (const auto& file : entries) {
        fs::path path = dir / file;
        if (!file.ends_with(".sql")) continue;
        auto m = parse_file_name(file);
        if (!m)
            throw Error(Exit::data, fmt::format("{}: not a migration file name", path.string()),
                        "name migrations NNNN_name.up.sql and NNNN_name.down.sql (spotctl migrate new NAME)");
        auto parsed = parse_number<long long>(m->version_text);
        if (!parsed) throw Error(Exit::data, fmt::format("{}: version number too large", path.string()));
        long long version = *parsed;
        if (!m->up) {
            if (downs.count(version))
                throw Error(Exit::data, fmt::format("{}: version {} has a second down file, '{}'", path.string(), version,
                                                    downs[version].filename().string()));
            downs[version] = path;
            continue;
        }
        auto [it, inserted] = by_version.try_emplace(version);
        if (!inserted)
            throw Error(Exit::data, fmt::format("{}: version {} is also used by '{}'", path.string(), version,
                                                it->second.up.path.filename().string()));
        MigrationFile& mf = it->second;
        mf.version = version;
        mf.version_text = m->version_text;
        mf.name = m->name;
        mf.up = read_script(path);
        mf.checksum = sha256_hex(mf.up.sql);
    }
    for (const auto& [version, path] : downs) {
        auto it = by_version.find(version);
        if (it == by_version.end())
            throw Error(Exit::data, fmt::format("{}: down file without an up file for version {}", path.string(), version));
        std::string expected = it->second.label() + ".down.sql";
        if (path.filename() != expected)
            throw Error(Exit::data, fmt::format("{}: the up file of version {} is '{}': the names differ", path.string(),
                                                version, it->second.up.path.filename().string()));
        if (read_down) {
            it->second.down = read_script(path);
        } else {
            it->second.down = Script{path, {}, false};
        }
    }
    std::vector<MigrationFile> out;
    out.reserve(by_version.size());
    for (auto& [version, mf] : by_version) out.push_back(std::move(mf));
    return out;
}

fs::path resolve_migrations_dir(const std::string& configured) { return resolve_data_dir(configured, "migrations"); }

}  // namespace spotctl::migrate
