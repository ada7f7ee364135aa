#pragma once
// `spotctl audit`: reads the append-only audit_log (spotctl never updates or deletes it; the
// migration's triggers refuse UPDATE, DELETE and TRUNCATE).
#include <string>

#include "core/context.hpp"

namespace spotctl::auditlog {

struct Options {
    std::string actor;    // e-mail (as recorded) or user id; "system" for rows without an actor
    std::string subject;  // a subject id, or TYPE:ID (user:..., moderation_item:...)
    std::string action;   // exact ("user.suspend") or a prefix ending in '.' ("moderation.")
    std::string since;    // a time (core/time_spec.hpp): only rows at or after it
    std::string to;       // a time: only rows before it (a date includes its whole day)
    long limit = 100;     // the most recent rows; 0: all
};

int list(Context& ctx, const Options& options);

}  // namespace spotctl::auditlog
