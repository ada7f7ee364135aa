#pragma once
#include "core/context.hpp"
namespace spotctl::locks {
// Lists the spotctl jobs (migrate, prune, seed, ...) holding their single-run lock now.
int list(Context& ctx);
}
