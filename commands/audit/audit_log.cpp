#include "commands/audit/audit_log.hpp"

#include <fmt/format.h>

#include "commands/audit/change_summary.hpp"
#include "core/errors.hpp"
#include "core/id_prefix.hpp"
#include "rulebook/id_kinds.hpp"
#include "core/time_spec.hpp"
#include "core/uuid.hpp"

namespace spotctl::auditlog {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// $1 actor id, $2 actor e-mail, $3 system only, $4 subject type, $5 subject id, $6 action,
// $7 action prefix, $8 since, $9 limit, $10 before. The newest `limit` rows, shown oldest first.
const std::string list_sql = fmt::format(R"(SELECT * FROM (
SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', {0}) AS at,
       coalesce(a.actor_email, staff.email::text, a.actor_id::text, 'system') AS actor,
       a.action, a.subject_type, a.subject_id, a.reason, a.before::text AS before, a.after::text AS after,
       a.client_host, a.spotctl_version
  FROM audit_log a
  LEFT JOIN users staff ON staff.id = a.actor_id  -- rows written before e-mails were kept
 WHERE ($1::uuid IS NULL OR a.actor_id = $1::uuid)
   AND ($2::text IS NULL OR lower(a.actor_email) = lower($2))
   AND (NOT $3::boolean OR a.actor_id IS NULL)
   AND ($4::text IS NULL OR $5::text IS NOT NULL OR a.subject_type = $4)
   AND ($5::text IS NULL
        OR (a.subject_id = $5 AND ($4::text IS NULL OR a.subject_type = $4))
        -- A change made through another subject (a moderation decision suspending a user) names
        -- the changed subject in its after image.
        OR (a.after->>'subject_id' = $5 AND ($4::text IS NULL OR a.after->>'subject_type' = $4)))
   AND ($6::text IS NULL OR a.action = $6)
   AND ($7::text IS NULL OR starts_with(a.action, $7))
   AND ($8::timestamptz IS NULL OR a.at >= $8::timestamptz)
   AND ($10::timestamptz IS NULL OR a.at < $10::timestamptz)
 ORDER BY a.id DESC
 LIMIT $9::bigint) newest ORDER BY id)",
                                         utc);

bool is_email(std::string_view text) { return text.find('@') != std::string_view::npos; }

// A user named by e-mail, for --subject: an unknown address is an error, not an empty table.
std::string user_by_email(pg::Connection& db, const std::string& email, std::string_view argument) {
    auto r = db.exec("SELECT id::text AS id FROM users WHERE email = $1::citext", pg::params(email));
    if (r.empty()) throw Error(Exit::data, fmt::format("{}: no user with e-mail '{}'", argument, email), "check the spelling");
    return r[0].str("id");
}

// --actor by e-mail: the rows keep a snapshot of the e-mail, so an erased account still counts.
void require_known_actor(pg::Connection& db, const std::string& email) {
    auto r = db.exec("SELECT EXISTS (SELECT 1 FROM users WHERE email = $1::citext) "
                     "OR EXISTS (SELECT 1 FROM audit_log WHERE lower(actor_email) = lower($1)) AS known",
                     pg::params(email));
    if (!r[0].boolean("known"))
        throw Error(Exit::data, fmt::format("--actor: no staff member with e-mail '{}'", email), "check the spelling, or give 'system'");
}

// The types whose ids may be given by prefix (TYPE:PREFIX).
const IdKind* id_kind_of(const std::string& type) {
    if (type == "user") return &rulebook::user_ids;
    if (type == "moderation_item") return &rulebook::moderation_item_ids;
    return nullptr;
}

}  // namespace

int list(Context& ctx, const Options& o) {
    using exporters::CellType;
    pg::Value actor_id, actor_email, subject_type, subject_id, action, prefix, since;
    bool system_only = false;
    // Checked before connecting: a mistyped time is a usage error wherever the database is.
    auto from = o.since.empty() ? std::nullopt : std::optional(time_spec::parse(o.since, "--since"));
    auto to = o.to.empty() ? std::nullopt : std::optional(time_spec::parse(o.to, "--to"));
    auto& db = ctx.db();
    if (o.actor == "system") {
        system_only = true;
    } else if (is_email(o.actor)) {
        require_known_actor(db, o.actor);
        actor_email = o.actor;
    } else if (!o.actor.empty()) {
        actor_id = resolve_id(db, rulebook::user_ids, o.actor, "--actor");
    }
    if (!o.subject.empty()) {
        auto colon = o.subject.find(':');
        std::string type = colon != std::string::npos && colon > 0 ? o.subject.substr(0, colon) : "";
        std::string id = type.empty() ? o.subject : o.subject.substr(colon + 1);
        if (is_email(id) && (type.empty() || type == "user")) {
            type = "user";
            id = user_by_email(db, id, "--subject");
        } else if (const IdKind* kind = id_kind_of(type); kind && looks_like_id_or_prefix(id)) {
            id = resolve_id(db, *kind, id, "--subject");
        }
        if (!type.empty()) subject_type = type;
        if (!id.empty()) subject_id = id;
    }
    if (!o.action.empty()) (o.action.back() == '.' ? prefix : action) = o.action;
    pg::Value before;
    if (from) since = time_spec::resolve_instant(db, *from, time_spec::Edge::start);
    if (to) before = time_spec::resolve_instant(db, *to, time_spec::Edge::end);
    auto rows = db.exec(list_sql, pg::params(actor_id, actor_email, system_only, subject_type, subject_id, action, prefix, since,
                                             o.limit > 0 ? pg::Value(std::to_string(o.limit)) : std::nullopt, before));
    // A person reads what changed; a script gets both images whole.
    const bool for_people = ctx.format() == exporters::Format::table;
    std::vector<exporters::Column> columns{{"id", CellType::integer}, {"at", CellType::timestamp}, {"actor"}, {"action"},
                                           {"subject_type"}, {"subject_id"}, {"reason"}};
    if (for_people) columns.push_back({"change"});
    else columns.insert(columns.end(), {{"before", CellType::json}, {"after", CellType::json}});
    columns.insert(columns.end(), {{"client_host"}, {"spotctl_version"}});
    auto writer = ctx.writer();
    writer->begin(columns);
    for (auto r : rows) {
        std::vector<exporters::Cell> cells{r.value("id"),         r.value("at"),         r.value("actor"), r.value("action"),
                                           r.value("subject_type"), r.value("subject_id"), r.value("reason")};
        if (for_people) cells.push_back(change_summary(r.value("before"), r.value("after")));
        else cells.insert(cells.end(), {r.value("before"), r.value("after")});
        cells.insert(cells.end(), {r.value("client_host"), r.value("spotctl_version")});
        writer->row(cells);
    }
    writer->end();
    return 0;
}

}  // namespace spotctl::auditlog
