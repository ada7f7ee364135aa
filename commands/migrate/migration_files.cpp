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

#include "commands/migrate/dbmate_file.hpp"
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

// golang-migrate's `^([0-9]+)_(.*)\.(up|down)\.sql$` (its `.` stops at a newline), and dbmate's
// `^([0-9]+).*\.sql$` for the other *.sql names; parsed by hand (std::regex is slow to build and run).
struct FileName {
    std::string version_text;
    std::string name;
    FileFormat format = FileFormat::paired;
    bool up = true;
};

std::size_t leading_digits(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
    return n;
}

std::optional<FileName> parse_file_name(std::string_view file) {
    FileName out;
    std::string_view rest;
    if (file.ends_with(".up.sql")) {
        rest = file.substr(0, file.size() - 7);
    } else if (file.ends_with(".down.sql")) {
        out.up = false;
        rest = file.substr(0, file.size() - 9);
    } else {
        out.format = FileFormat::dbmate;
        rest = file.substr(0, file.size() - 4);
    }
    std::size_t digits = leading_digits(rest);
    if (digits == 0 || rest.find('\n') != std::string_view::npos) return std::nullopt;
    out.version_text = std::string(rest.substr(0, digits));
    rest.remove_prefix(digits);
    if (out.format == FileFormat::paired) {
        if (rest.empty() || rest.front() != '_') return std::nullopt;
        rest.remove_prefix(1);
    } else if (rest.starts_with("_")) {
        rest.remove_prefix(1);
    }
    out.name = std::string(rest);
    return out;
}

Script read_script(const fs::path& path) {
    Script s;
    s.path = path;
    s.sql = read_file(path);
    s.no_transaction = is_no_transaction(s.sql);
    s.batch = parse_batch_directive(s.sql, path.string());
    return s;
}

std::string_view format_name(FileFormat format) {
    return format == FileFormat::dbmate ? "a dbmate file (NNNN_name.sql)" : "an up or down file (NNNN_name.up.sql)";
}

}  // namespace

std::string Script::location(long long line) const { return fmt::format("{}:{}", path.string(), first_line + line - 1); }

std::string MigrationFile::missing_down() const {
    if (format == FileFormat::dbmate) return fmt::format("{} has no SQL in its '-- migrate:down' section", up.path.string());
    return fmt::format("{} does not exist", (up.path.parent_path() / (label() + ".down.sql")).string());
}

std::vector<MigrationFile> load_migrations(const fs::path& dir, bool read_down) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(Exit::config, fmt::format("cannot read migrations directory '{}': no such directory", dir.string()),
                    "give the directory with --dir, or set migrate.dir in the configuration file");
    std::map<long long, MigrationFile> by_version;
    std::map<long long, fs::path> downs;
    std::map<FileFormat, fs::path> first_of_format;
    std::vector<std::string> entries;
    for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path().filename().string());
    std::sort(entries.begin(), entries.end());
    for (const auto& file : entries) {
        fs::path path = dir / file;
        if (!file.ends_with(".sql")) continue;
        auto m = parse_file_name(file);
        if (!m)
            throw Error(Exit::data, fmt::format("{}: not a migration file name", path.string()),
                        "name migrations NNNN_name.up.sql and NNNN_name.down.sql (spotctl migrate new NAME), or "
                        "NNNN_name.sql with '-- migrate:up' and '-- migrate:down' sections (dbmate's format)");
        first_of_format.try_emplace(m->format, path);
        if (first_of_format.size() > 1) {
            auto other = m->format == FileFormat::dbmate ? FileFormat::paired : FileFormat::dbmate;
            throw Error(Exit::data,
                        fmt::format("{}: {} in a directory that also holds {}, '{}'", path.string(), format_name(m->format),
                                    format_name(other), first_of_format[other].string()),
                        "keep one migration format per directory");
        }
        auto parsed = parse_number<long long>(m->version_text);
        if (!parsed) throw Error(Exit::data, fmt::format("{}: version number too large", path.string()));
        long long version = *parsed;
        if (!m->up) {
            if (downs.count(version))
                throw Error(Exit::data, fmt::format("{}: version {} has a second down file, '{}'", path.string(), version,
                                                    downs[version].string()));
            downs[version] = path;
            continue;
        }
        auto [it, inserted] = by_version.try_emplace(version);
        if (!inserted)
            throw Error(Exit::data, fmt::format("{}: version {} is also used by '{}'", path.string(), version,
                                                it->second.up.path.string()));
        MigrationFile& mf = it->second;
        mf.version = version;
        mf.version_text = m->version_text;
        mf.name = m->name;
        mf.format = m->format;
        if (m->format == FileFormat::dbmate) {
            auto sections = parse_dbmate(path, read_file(path));
            mf.up = std::move(sections.up);
            mf.down = std::move(sections.down);
        } else {
            mf.up = read_script(path);
        }
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
            it->second.down = Script{path, {}, false, 1, std::nullopt};
        }
    }
    std::vector<MigrationFile> out;
    out.reserve(by_version.size());
    for (auto& [version, mf] : by_version) out.push_back(std::move(mf));
    return out;
}

fs::path resolve_migrations_dir(const std::string& configured) { return resolve_data_dir(configured, "migrations"); }

}  // namespace spotctl::migrate
