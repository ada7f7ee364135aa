#include "commands/audit/audit_log.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/time_spec.hpp"
#include "core/uuid.hpp"

namespace spotctl::auditlog {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// $1 actor id, $2 actor e-mail, $3 system only, $4 subject type, $5 subject id, $6 action,
// $7 action prefix, $8 since, $9 limit, $10 before. The newest `limit` rows, shown oldest first.
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
   AND ($10::timestamptz IS NULL OR a.at < $10::timestamptz)
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
    // Checked before connecting: a mistyped time is a usage error wherever the database is.
    auto from = o.since.empty() ? std::nullopt : std::optional(time_spec::parse(o.since, "--since"));
    auto to = o.to.empty() ? std::nullopt : std::optional(time_spec::parse(o.to, "--to"));
    auto& db = ctx.db();
    pg::Value before;
    if (from) since = time_spec::resolve_instant(db, *from, time_spec::Edge::start);
    if (to) before = time_spec::resolve_instant(db, *to, time_spec::Edge::end);
    auto rows = db.exec(list_sql, pg::params(actor_id, actor_email, system_only, subject_type, subject_id, action, prefix, since,
                                             o.limit > 0 ? pg::Value(std::to_string(o.limit)) : std::nullopt, before));
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
