#include "commands/staff/roster.hpp"

#include <fmt/format.h>

#include "rulebook/roles.hpp"

namespace spotctl::staff {

const std::vector<exporters::Column>& roster_columns() {
    using exporters::CellType;
    static const std::vector<exporters::Column> columns = {
        {"email"}, {"name"}, {"role"}, {"status"}, {"granted_at", CellType::timestamp}, {"granted_by"}, {"grant_reason"},
        {"last_decision_at", CellType::timestamp}, {"last_decision"}, {"days_since_last_decision", CellType::integer}};
    return columns;
}

const std::string& roster_sql() {
    // The grant is the latest role_grants row that gave the current role; the last decision is
    // the latest moderation item the person decided (approve, reject or escalate).
    static const std::string sql = fmt::format(R"SQL(
SELECT u.email::text AS email, u.name, u.role, u.status,
       to_char(g.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS granted_at,
       gb.email::text AS granted_by, g.reason AS grant_reason,
       to_char(d.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_decision_at,
       d.status AS last_decision,
       extract(day FROM now() - d.decided_at)::bigint AS days_since_last_decision
FROM users u
LEFT JOIN LATERAL (SELECT rg.granted_at, rg.granted_by, rg.reason FROM role_grants rg
                   WHERE rg.user_id = u.id AND rg.new_role = u.role ORDER BY rg.id DESC LIMIT 1) g ON true
LEFT JOIN users gb ON gb.id = g.granted_by
LEFT JOIN LATERAL (SELECT m.decided_at, m.status FROM moderation_items m
                   WHERE m.decided_by = u.id AND m.decided_at IS NOT NULL ORDER BY m.decided_at DESC LIMIT 1) d ON true
WHERE u.role IN ({})
ORDER BY u.email, u.id
)SQL",
                                               rulebook::staff_roles_sql());
    return sql;
}

}  // namespace spotctl::staff
