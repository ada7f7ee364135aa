#include "commands/audit/audit_log.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/uuid.hpp"

namespace spotctl::auditlog {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// $1 actor id, $2 actor e-mail, $3 system only, $4 subject type, $5 subject id, $6 action,
// $7 action prefix, $8 since, $9 limit. The newest `limit` rows, shown oldest first.
const std::string list_sql = fmt::format(R"(SELECT * FROM (
SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', {0}) AS at, coalesce(a.actor_email, a.actor_id::text, 'system') AS actor,
       a.action, a.subject_type, a.subject_id, a.reason, a.before::text AS before, a.after::text AS after,
       a.client_host, a.spotctl_version
  FROM audit_log a
 WHERE ($1::uuid IS NULL OR a.actor_id = $1::uuid)
   AND ($2::text IS NULL OR lower(a.actor_email) = lower($2))
   AND (NOT $3::boolean OR a.actor_id IS NULL)
   AND ($4::text IS NULL OR a.subject_type = $4)
   AND ($5::text IS NULL OR a.subject_id = $5 OR a.after->>'subject_id' = $5)
   AND ($6::text IS NULL OR a.action = $6)
   AND ($7::text IS NULL OR starts_with(a.action, $7))
   AND ($8::timestamptz IS NULL OR a.at >= $8::timestamptz)
 ORDER BY a.id DESC
 LIMIT $9::bigint) newest ORDER BY id)",
                                         utc);

}  // namespace

int list(Context& ctx, const Options& o) {
    using exporters::CellType;
    pg::Value actor_id, actor_email, subject_type, subject_id, action, prefix, since;
    bool system_only = false;
    if (o.actor == "system")
        system_only = true;
    else if (looks_like_uuid(o.actor))
        actor_id = o.actor;
    else if (!o.actor.empty())
        actor_email = o.actor;
    if (!o.subject.empty()) {
        auto colon = o.subject.find(':');
        if (colon != std::string::npos && colon > 0) {
            subject_type = o.subject.substr(0, colon);
            subject_id = o.subject.substr(colon + 1);
        } else {
            subject_id = o.subject;
        }
    }
    if (!o.action.empty()) (o.action.back() == '.' ? prefix : action) = o.action;
    auto& db = ctx.db();
    if (!o.since.empty()) {
        try {
            Millis d = parse_duration(o.since, "--since");
            since = db.exec("SELECT (now() - $1::interval)::text", pg::params(fmt::format("{} milliseconds", d.count())))[0].str(0);
        } catch (const Error&) {
            try {
                since = db.exec("SELECT $1::timestamptz::text", pg::params(o.since))[0].str(0);
            } catch (const pg::DbError&) {
                throw Error(Exit::usage, fmt::format("--since '{}' is neither a time nor a duration", o.since),
                            "such as 2026-12-01, '2026-12-01 09:00+00' or 24h");
            }
        }
    }
    auto rows = db.exec(list_sql, pg::params(actor_id, actor_email, system_only, subject_type, subject_id, action, prefix, since,
                                             o.limit > 0 ? pg::Value(std::to_string(o.limit)) : std::nullopt));
    auto writer = ctx.writer();
    writer->begin({{"id", CellType::integer}, {"at", CellType::timestamp}, {"actor"}, {"action"}, {"subject_type"}, {"subject_id"},
                   {"reason"}, {"before", CellType::json}, {"after", CellType::json}, {"client_host"}, {"spotctl_version"}});
    for (auto r : rows)
        writer->row({r.value("id"), r.value("at"), r.value("actor"), r.value("action"), r.value("subject_type"), r.value("subject_id"),
                     r.value("reason"), r.value("before"), r.value("after"), r.value("client_host"), r.value("spotctl_version")});
    writer->end();
    return 0;
}

}  // namespace spotctl::auditlog
