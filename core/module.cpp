#include "core/module.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace spotctl {
namespace {

namespace fs = std::filesystem;

constexpr const char* dir_variable = "SPOTCTL_MODULE_DIR";

// The directories to look in, in order (see module.hpp), without repeats.
std::vector<fs::path> search_dirs() {
    if (const char* dir = std::getenv(dir_variable); dir && *dir) return {fs::path(dir)};
    std::vector<fs::path> dirs;
    std::error_code ec;
    auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path().parent_path() / build::module_subdir);
        dirs.push_back(exe.parent_path());
    }
    dirs.emplace_back(build::moduledir);
    std::vector<fs::path> unique;
    for (auto& d : dirs)
        if (std::find(unique.begin(), unique.end(), d) == unique.end()) unique.push_back(std::move(d));
    return unique;
}

std::string where_looked(const std::vector<fs::path>& dirs) {
    std::string out;
    for (const auto& d : dirs) out += fmt::format("{}{}", out.empty() ? "" : ", ", d.string());
    return out;
}

void* open_module(std::string_view file, std::string_view feature) {
    auto dirs = search_dirs();
    std::string hint = fmt::format("install spotctl's modules, or set {} to the directory that holds {}", dir_variable, file);
    for (const auto& dir : dirs) {
        fs::path path = dir / file;
        std::error_code ec;
        if (!fs::exists(path, ec)) continue;
        // RTLD_LOCAL: the module's libraries stay out of the global namespace; RTLD_NOW: a
        // library it needs that is missing is reported here, not at the first call.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            throw Error(Exit::unavailable, fmt::format("{} is unavailable: cannot load {}: {}", feature, path.string(), ::dlerror()), hint);
        auto version = reinterpret_cast<const char* (*)()>(::dlsym(handle, "spotctl_module_version"));
        if (!version || std::strcmp(version(), build::version) != 0)
            throw Error(Exit::unavailable,
                        fmt::format("{} is unavailable: {} is from spotctl {}, this is spotctl {}", feature, path.string(),
                                    version ? version() : "(unknown)", build::version),
                        hint);
        return handle;
    }
    throw Error(Exit::unavailable, fmt::format("{} is unavailable: no {} in {}", feature, file, where_looked(dirs)), hint);
}

}  // namespace

void* module_symbol(std::string_view file, const char* symbol, std::string_view feature) {
    // Health probes run in threads of their own: the first load happens once.
    static std::mutex mutex;
    static std::map<std::string, void*, std::less<>> loaded;
    std::lock_guard lock(mutex);
    auto it = loaded.find(file);
    if (it == loaded.end()) it = loaded.emplace(std::string(file), open_module(file, feature)).first;
    void* address = ::dlsym(it->second, symbol);
    if (!address)
        throw Error(Exit::unavailable, fmt::format("{} is unavailable: the module {} has no {}", feature, file, symbol));
    return address;
}

}  // namespace spotctl
