#include "core/time_spec.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <fmt/format.h>
#include <regex>

#include "core/errors.hpp"

namespace spotctl::time_spec {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 8> names = {"today",       "yesterday",        "tomorrow",        "week-start",
                                                   "last-week-start", "month-start", "last-month-start", "last-month-end"};

std::string forms() {
    return fmt::format("give a date (2026-11-30), a timestamp (2026-11-30T18:00:00Z or '2026-11-30 23:30+05:30'), "
                       "a duration from now (7d, 36h, '2 hours') or one of now, {}",
                       named_dates());
}

int number(const std::ssub_match& m) { return m.matched ? std::stoi(m.str()) : 0; }

std::string iso_date(year_month_day d) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                       static_cast<unsigned>(d.day()));
}

Point date_point(year_month_day d) { return Point{Kind::date, iso_date(d), false, Millis{0}}; }

// The expression (a timestamptz) for a point; $1 its value, $2 the zone, $3 the days to add.
constexpr const char* named_date_sql =
    "(CASE $1 WHEN 'today' THEN (now() AT TIME ZONE $2)::date "
    "WHEN 'yesterday' THEN (now() AT TIME ZONE $2)::date - 1 "
    "WHEN 'tomorrow' THEN (now() AT TIME ZONE $2)::date + 1 "
    "WHEN 'week-start' THEN date_trunc('week', now() AT TIME ZONE $2)::date "
    "WHEN 'last-week-start' THEN date_trunc('week', now() AT TIME ZONE $2)::date - 7 "
    "WHEN 'month-start' THEN date_trunc('month', now() AT TIME ZONE $2)::date "
    "WHEN 'last-month-start' THEN (date_trunc('month', now() AT TIME ZONE $2) - interval '1 month')::date "
    "WHEN 'last-month-end' THEN date_trunc('month', now() AT TIME ZONE $2)::date - 1 END)";

// A timestamptz expression for the point; the zone, where it is used, is always $2.
Query timestamptz_expr(const Point& p, const std::string& tz, int days) {
    switch (p.kind) {
        case Kind::date: return {"(($1::date + $3::int)::timestamp AT TIME ZONE $2)", pg::params(p.value, tz, days)};
        case Kind::named:
            return {fmt::format("(({} + $3::int)::timestamp AT TIME ZONE $2)", named_date_sql), pg::params(p.value, tz, days)};
        case Kind::instant:
            if (p.has_zone) return {"$1::timestamptz", pg::params(p.value)};
            return {"($1::timestamp AT TIME ZONE $2)", pg::params(p.value, tz)};
        case Kind::relative: break;
    }
    return {"(now() + $1::bigint * interval '1 millisecond')", pg::params(static_cast<long long>(p.offset.count()))};
}

}  // namespace

std::string named_dates() {
    std::string out;
    for (auto n : names) out += fmt::format("{}{}", out.empty() ? "" : ", ", n);
    return out;
}

Point parse(std::string_view text, std::string_view flag, Toward toward) {
    auto bad = [&](const std::string& why) {
        return Error(Exit::usage, fmt::format("{} '{}' is not a time{}", flag, text, why), forms());
    };
    std::string s(text);
    if (s == "now") return Point{Kind::relative, "", false, Millis{0}};
    for (auto n : names)
        if (s == n) return Point{Kind::named, s, false, Millis{0}};
    static const std::regex stamp(
        R"(([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,6})?)?(?:(Z|z)|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?)");
    std::smatch m;
    if (std::regex_match(s, m, stamp)) {
        year_month_day d{year(number(m[1])), month(static_cast<unsigned>(number(m[2]))), day(static_cast<unsigned>(number(m[3])))};
        if (!d.ok()) throw bad(": no such date");
        if (!m[4].matched) return date_point(d);
        int hh = number(m[4]), mi = number(m[5]), ss = number(m[6]);
        if (hh > 23 || mi > 59 || ss > 59) throw bad(": no such time of day");
        Point p{Kind::instant, fmt::format("{} {:02}:{:02}:{:02}{}", iso_date(d), hh, mi, ss, m[7].str()), false, Millis{0}};
        if (m[8].matched) {
            p.value += "+00:00";
            p.has_zone = true;
        } else if (m[9].matched) {
            int oh = number(m[10]), om = number(m[11]);
            if (oh > 15 || om > 59) throw bad(": no such zone offset");
            p.value += fmt::format("{}{:02}:{:02}", m[9].str(), oh, om);
            p.has_zone = true;
        }
        return p;
    }
    if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s.front())))) {
        try {
            Millis d = parse_duration(s, flag);
            return Point{Kind::relative, "", false, toward == Toward::past ? -d : d};
        } catch (const Error&) {
            // Not a duration either: the message below lists every form.
        }
    }
    throw bad("");
}

DateRange parse_month(std::string_view text, std::string_view flag) {
    static const std::regex re(R"(([0-9]{4})-([0-9]{2}))");
    std::string s(text);
    std::smatch m;
    if (!std::regex_match(s, m, re) || number(m[2]) < 1 || number(m[2]) > 12)
        throw Error(Exit::usage, fmt::format("{} '{}' is not a month", flag, text), "give a year and month, such as 2026-11");
    year_month ym{year(number(m[1])), month(static_cast<unsigned>(number(m[2])))};
    return {date_point(ym / 1), date_point(year_month_day(ym / last))};
}

DateRange parse_week(std::string_view text, std::string_view flag) {
    static const std::regex re(R"(([0-9]{4})-?[Ww]([0-9]{2}))");
    std::string s(text);
    std::smatch m;
    auto bad = [&] {
        return Error(Exit::usage, fmt::format("{} '{}' is not an ISO week", flag, text),
                     "give a year and week number, such as 2026-W48 (weeks run Monday to Sunday)");
    };
    if (!std::regex_match(s, m, re)) throw bad();
    int y = number(m[1]), w = number(m[2]);
    // Week 1 is the week holding 4 January; a year has week 53 when its week 53 still starts
    // before 29 December (its Thursday is then in the same year).
    sys_days jan4 = year(y) / January / 4;
    sys_days monday = jan4 - days((weekday(jan4).iso_encoding() - 1));
    sys_days first = monday + days(7 * (w - 1));
    if (w < 1 || w > 53 || year_month_day(first + days(3)).year() != year(y)) throw bad();
    return {date_point(year_month_day(first)), date_point(year_month_day(first + days(6)))};
}

Query instant_query(const Point& p, Edge edge, const std::string& tz) {
    // Only a date stands for a whole day; as an end it is the start of the next one.
    bool whole_day = p.kind == Kind::date || p.kind == Kind::named;
    auto e = timestamptz_expr(p, tz, whole_day && edge == Edge::end ? 1 : 0);
    e.sql = fmt::format("SELECT to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", e.sql);
    return e;
}

Query date_query(const Point& p, const std::string& tz) {
    if (p.kind == Kind::date) return {"SELECT $1::date::text", pg::params(p.value)};
    if (p.kind == Kind::named) return {fmt::format("SELECT {}::text", named_date_sql), pg::params(p.value, tz)};
    auto e = timestamptz_expr(p, tz, 0);
    if (e.params.size() == 1) e.params.push_back(tz);
    e.sql = fmt::format("SELECT ({} AT TIME ZONE $2)::date::text", e.sql);
    return e;
}

}  // namespace spotctl::time_spec
