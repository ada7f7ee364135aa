#pragma once
// When a scan or backtest finds nothing, whether that is because the window holds no data
// (core/data_extent over the tables the rules read).
#include <string>

#include "commands/fraud/window.hpp"
#include "core/data_extent.hpp"

namespace spotctl::fraud {

// "the window holds 0 login attempts, 0 verifications, 0 payments; the data runs from
// 2026-10-01T08:00:00Z to 2026-11-20T21:14:09Z", or "... the tables read are empty".
std::string data_extent(pg::Connection& db, const ResolvedWindow& w);

}  // namespace spotctl::fraud
