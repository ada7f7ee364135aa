#include "commands/migrate/migration_files.hpp"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/build_info.hpp"
#include "core/errors.hpp"
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

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Exit::data, fmt::format("cannot read '{}'", path.string()));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Script read_script(const fs::path& path) {
    Script s;
    s.path = path;
    s.sql = read_file(path);
    s.no_transaction = is_no_transaction(s.sql);
    return s;
}

}  // namespace

std::vector<MigrationFile> load_migrations(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(Exit::config, fmt::format("cannot read migrations directory '{}': no such directory", dir.string()),
                    "give the directory with --dir, or set migrate.dir in the configuration file");
    static const std::regex pattern(R"(^([0-9]+)_([A-Za-z0-9_\-]+)\.(up|down)\.sql$)");
    std::map<long long, MigrationFile> by_version;
    std::map<long long, fs::path> downs;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& path : entries) {
        std::string file = path.filename().string();
        if (path.extension() != ".sql") continue;
        std::smatch m;
        if (!std::regex_match(file, m, pattern))
            throw Error(Exit::data, fmt::format("{}: not a migration file name", path.string()),
                        "name migrations NNNN_name.up.sql and NNNN_name.down.sql (spotctl migrate new NAME)");
        long long version = 0;
        try {
            version = std::stoll(m[1].str());
        } catch (const std::exception&) {
            throw Error(Exit::data, fmt::format("{}: version number too large", path.string()));
        }
        if (m[3] == "down") {
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
        mf.version_text = m[1].str();
        mf.name = m[2].str();
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
        it->second.down = read_script(path);
    }
    std::vector<MigrationFile> out;
    out.reserve(by_version.size());
    for (auto& [version, mf] : by_version) out.push_back(std::move(mf));
    return out;
}

fs::path resolve_migrations_dir(const std::string& configured) {
    if (!configured.empty()) return configured;
    std::error_code ec;
    if (fs::is_directory("migrations", ec)) return "migrations";
    fs::path installed = fs::path(build::datadir) / "migrations";
    if (fs::is_directory(installed, ec)) return installed;
    return "migrations";
}

}  // namespace spotctl::migrate
