#pragma once
// When a scan finds nothing, whether that is because the window holds no data: the rows the
// rules read inside the window, and the oldest and newest of them at all ("the demo data ends
// on 20 November" rather than a bare "0 finding(s)").
#include <string>

#include "commands/fraud/window.hpp"
#include "core/pg.hpp"

namespace spotctl::fraud {

// "the window holds 0 login attempts, 0 verifications and 0 payments; the data runs from
// 2026-10-01T08:00:00Z to 2026-11-20T21:14:09Z", or "... the tables the rules read are empty".
std::string data_extent(pg::Connection& db, const ResolvedWindow& w);

}  // namespace spotctl::fraud
