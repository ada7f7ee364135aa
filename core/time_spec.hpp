#pragma once
// One syntax for every point in time a command takes (--since, --from, --to, --until, --expires)
// and for the --month and --week ranges; spotctl(1), TIMES AND DURATIONS, documents it once.
//
//   2026-11-30               a calendar date (in --tz where the command has one, else UTC)
//   2026-11-30T18:00:00Z     an instant; also with a space for T, an offset (+05:30), or no zone (UTC)
//   7d, 36h, '2 hours'       a duration from now: back for --since/--from/--to, ahead for --until/--expires
//   today, yesterday, ...    a named date (named_dates below)
//
// A date as the end of a range (--to, --until) includes that whole day: the instant it stands for
// is the start of the next day. An instant as an end is exclusive. Text is checked here, in C++,
// so no PostgreSQL parse error can reach a person; the server then does the calendar arithmetic
// in the zone (its time zone database).
#include <string>
#include <string_view>

#include "core/duration.hpp"
#include "core/pg.hpp"

namespace spotctl::time_spec {

// Which way a bare duration points from now.
enum class Toward { past, future };
// Which instant a date stands for: its first moment, or (as the end of a range) the next day's.
enum class Edge { start, end };

enum class Kind { date, named, instant, relative };

struct Point {
    Kind kind = Kind::relative;
    std::string value;  // date: YYYY-MM-DD; named: the keyword; instant: ISO text as given
    bool has_zone = false;  // instant: Z or an offset was given
    Millis offset{0};       // relative: signed, from now
};

// "today, yesterday, tomorrow, week-start, last-week-start, month-start, last-month-start, last-month-end"
std::string named_dates();

// Error(Exit::usage) naming `flag` and the accepted forms when `text` is none of them.
Point parse(std::string_view text, std::string_view flag, Toward toward = Toward::past);

// Inclusive first and last calendar dates (YYYY-MM-DD) of --month 2026-11 or --week 2026-W48
// (ISO 8601 week, Monday to Sunday).
struct DateRange {
    Point first, last;
};
DateRange parse_month(std::string_view text, std::string_view flag);
DateRange parse_week(std::string_view text, std::string_view flag);

// The SQL and parameters that turn a point into text: an ISO 8601 UTC instant with microseconds,
// or a date. `tz` must be a zone PostgreSQL knows (commands with --tz check it first).
struct Query {
    std::string sql;
    pg::Params params;
};
Query instant_query(const Point& p, Edge edge, const std::string& tz);
Query date_query(const Point& p, const std::string& tz);

// "2026-11-30T18:30:00.000000Z"; Db is a pg::Connection or pg::Transaction.
template <class Db>
std::string resolve_instant(Db& db, const Point& p, Edge edge, const std::string& tz = "UTC") {
    auto q = instant_query(p, edge, tz);
    return db.exec(q.sql, q.params)[0].str(0);
}

// "2026-11-30": the calendar date of the point in `tz`.
template <class Db>
std::string resolve_date(Db& db, const Point& p, const std::string& tz = "UTC") {
    auto q = date_query(p, tz);
    return db.exec(q.sql, q.params)[0].str(0);
}

}  // namespace spotctl::time_spec
