#include "commands/fraud/window.hpp"

#include <fmt/format.h>

#include "core/duration.hpp"
#include "core/errors.hpp"

namespace spotctl::fraud {
namespace {

constexpr const char* iso = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";

std::string instant(pg::Connection& db, const std::string& text, const std::string& flag) {
    try {
        auto r = db.exec(fmt::format("SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', {}) AS t", iso), pg::params(text));
        return r[0].str("t");
    } catch (const pg::DbError& e) {
        if (e.sqlstate().rfind("22", 0) != 0) throw;
        throw Error(Exit::usage, fmt::format("{} '{}' is not a time", flag, text),
                    "give a timestamp such as 2026-11-01, '2026-11-01 09:30+05:30' or 2026-11-01T04:00:00Z");
    }
}

}  // namespace

ResolvedWindow resolve_window(pg::Connection& db, const Window& w) {
    ResolvedWindow out;
    out.to = w.to.empty() ? instant(db, "now", "--to") : instant(db, w.to, "--to");
    if (!w.from.empty()) {
        out.from = instant(db, w.from, "--from");
    } else {
        Millis since = parse_duration(w.since.empty() ? "24h" : w.since, "--since");
        auto r = db.exec(fmt::format("SELECT to_char(($1::timestamptz - make_interval(secs => $2::float8)) AT TIME ZONE 'UTC', {}) AS t", iso),
                         pg::params(out.to, static_cast<double>(since.count()) / 1000.0));
        out.from = r[0].str("t");
    }
    if (out.from >= out.to)
        throw Error(Exit::usage, fmt::format("the window [{}, {}) is empty: --from must be before --to", out.from, out.to));
    return out;
}

}  // namespace spotctl::fraud
