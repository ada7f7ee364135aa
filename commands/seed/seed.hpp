#pragma once
// `spotctl seed`: fixtures, synthetic data, reset, and the production guard.
#include <string>
#include <vector>

#include "commands/seed/fixture_loader.hpp"
#include "core/context.hpp"

namespace spotctl::seed {

int load(Context& ctx, const LoadOptions& options);
int reset(Context& ctx, bool yes, bool allow_production);
int mark(Context& ctx, const std::string& environment, bool allow_production);
int show_environment(Context& ctx);

}  // namespace spotctl::seed
