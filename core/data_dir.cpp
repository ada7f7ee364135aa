#include "core/data_dir.hpp"

#include "core/build_info.hpp"

namespace spotctl {

std::filesystem::path resolve_data_dir(const std::string& configured, std::string_view name) {
    if (!configured.empty()) return configured;
    std::error_code ec;
    std::filesystem::path local(name);
    if (std::filesystem::is_directory(local, ec)) return local;
    // Installed beside the binary (prefix/bin/spotctl, prefix/share/spotctl/NAME), wherever the
    // prefix is: a .deb in /usr, cmake --install in /usr/local, a DESTDIR or a relocated tree.
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto beside = exe.parent_path().parent_path() / "share" / "spotctl" / name;
        if (std::filesystem::is_directory(beside, ec)) return beside;
    }
    auto installed = std::filesystem::path(build::datadir) / name;
    if (std::filesystem::is_directory(installed, ec)) return installed;
    return local;
}

}  // namespace spotctl
