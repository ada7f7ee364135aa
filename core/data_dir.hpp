#pragma once
// Where spotctl finds the files it ships (migrations, demo seeds): the directory given by a flag
// or the configuration; else ./NAME, for a checkout; else the copy installed beside the binary.
#include <filesystem>
#include <string>
#include <string_view>

namespace spotctl {

std::filesystem::path resolve_data_dir(const std::string& configured, std::string_view name);

}  // namespace spotctl
