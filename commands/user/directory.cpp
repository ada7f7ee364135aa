#include "commands/user/directory.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace spotctl::user {
namespace {

// The columns both listings show; a suspension whose end has passed is "suspended (lapsed)":
// the platform lets the person in again, but the row still says suspended until someone restores it.
constexpr const char* columns = R"(u.id::text AS id, u.email::text AS email, u.name, u.phone, u.role,
       CASE WHEN u.status = 'suspended' AND u.suspended_until <= now() THEN 'suspended (lapsed)' ELSE u.status END AS status,
       to_char(u.suspended_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS suspended_until,
       to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at)";

// $1 the text, $2 its digits (NULL below 4), $3 the limit. Exact e-mail first, then by e-mail.
const std::string find_sql = fmt::format(R"(SELECT {} FROM users u
 WHERE strpos(lower(u.email::text), lower($1)) > 0
    OR strpos(lower(u.name), lower($1)) > 0
    OR starts_with(u.id::text, lower($1))
    OR ($2::text IS NOT NULL AND strpos(regexp_replace(coalesce(u.phone, ''), '[^0-9]', '', 'g'), $2) > 0)
 ORDER BY lower(u.email::text) = lower($1) DESC, u.email, u.id
 LIMIT $3::bigint)",
                                         columns);

const std::string list_sql = fmt::format(R"(SELECT {} FROM users u
 WHERE ($1::text IS NULL OR u.status = $1) AND ($2::text IS NULL OR u.role = $2)
 ORDER BY u.created_at DESC, u.id
 LIMIT $3::bigint)",
                                         columns);

void write(Context& ctx, const pg::Result& rows) {
    using exporters::CellType;
    auto w = ctx.writer();
    w->begin({{"id"}, {"email"}, {"name"}, {"phone"}, {"role"}, {"status"}, {"suspended_until", CellType::timestamp},
              {"created_at", CellType::timestamp}});
    for (auto r : rows)
        w->row({r.value("id"), r.value("email"), r.value("name"), r.value("phone"), r.value("role"), r.value("status"),
                r.value("suspended_until"), r.value("created_at")});
    w->end();
}

pg::Value or_null(const std::string& s) { return s.empty() ? std::nullopt : pg::Value(s); }

}  // namespace

int find(Context& ctx, const FindOptions& o) {
    if (o.text.size() < 3)
        throw Error(Exit::usage, fmt::format("user find '{}': give at least 3 characters", o.text),
                    "part of an e-mail or a name, 4 or more digits of a phone number, or the start of an id");
    std::string digits;
    for (char c : o.text)
        if (c >= '0' && c <= '9') digits += c;
    auto rows = ctx.db().exec(find_sql, pg::params(o.text, digits.size() >= 4 ? pg::Value(digits) : std::nullopt, o.limit));
    if (rows.empty() && !ctx.options().quiet) log::status("no user's e-mail, name, phone or id matches '{}'", o.text);
    write(ctx, rows);
    return 0;
}

int list(Context& ctx, const ListOptions& o) {
    auto rows = ctx.db().exec(list_sql, pg::params(or_null(o.status), or_null(o.role), o.limit));
    if (rows.empty() && !ctx.options().quiet)
        log::status("no user{}{}", o.status.empty() ? "" : " with status " + o.status, o.role.empty() ? "" : " with role " + o.role);
    write(ctx, rows);
    return 0;
}

}  // namespace spotctl::user
