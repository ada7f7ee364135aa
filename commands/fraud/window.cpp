#include "commands/fraud/window.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/time_spec.hpp"

namespace spotctl::fraud {

ResolvedWindow resolve_window(pg::Connection& db, const Window& w) {
    using namespace time_spec;
    ResolvedWindow out;
    out.to = resolve_instant(db, w.to.empty() ? parse("now", "--to") : parse(w.to, "--to"), Edge::end);
    if (!w.from.empty())
        out.from = resolve_instant(db, parse(w.from, "--from"), Edge::start);
    else
        out.from = resolve_instant(db, parse(w.since.empty() ? "24h" : w.since, "--since"), Edge::start);
    if (out.from >= out.to)
        throw Error(Exit::usage, fmt::format("the window [{}, {}) is empty: --from must be before --to", out.from, out.to));
    return out;
}

}  // namespace spotctl::fraud
