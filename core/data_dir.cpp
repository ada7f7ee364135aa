#include "core/data_dir.hpp"

#include "core/build_info.hpp"

namespace spotctl {

std::filesystem::path resolve_data_dir(const std::string& configured, std::string_view name) {
    if (!configured.empty()) return configured;
    std::error_code ec;
    std::filesystem::path local(name);
    if (std::filesystem::is_directory(local, ec)) return local;
    auto installed = std::filesystem::path(build::datadir) / name;
    if (std::filesystem::is_directory(installed, ec)) return installed;
    return local;
}

}  // namespace spotctl
