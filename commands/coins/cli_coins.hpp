#pragma once
#include "cli/command_builder.hpp"

namespace spotctl::cli {
void define_coins(CommandBuilder& builder);
}
