#pragma once
// Turning --since / --from / --to into two fixed instants, once per run, so every rule of a
// scan sees the same window.
#include <string>

#include "commands/fraud/fraud.hpp"
#include "core/pg.hpp"

namespace spotctl::fraud {

struct ResolvedWindow {
    std::string from;  // ISO 8601 UTC with microseconds
    std::string to;
};

// --to is exclusive for an instant and includes the whole day for a date (time_spec).
// Error(Exit::usage) for text that is not a time (core/time_spec.hpp), or from >= to.
ResolvedWindow resolve_window(pg::Connection& db, const Window& w);

}  // namespace spotctl::fraud
