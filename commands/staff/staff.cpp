#include "commands/staff/staff.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/staff/roster.hpp"
#include "commands/user/account_status.hpp"
#include "core/audit.hpp"
#include "core/errors.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::staff {
namespace {

struct Changed {
    std::string user_id, email, old_role, new_role;
    long long audit_id = 0;
};

Changed change_role(Context& ctx, const RoleChangeOptions& o, const std::string& action) {
    bool revoking = o.role.empty();
    std::string new_role = revoking ? std::string(rulebook::plain_role) : o.role;
    if (!revoking && !rulebook::is_staff(new_role))
        throw Error(Exit::usage, fmt::format("staff grant: '{}' is not a staff role", o.role), "give moderator or admin");
    if (o.reason.find_first_not_of(" \t") == std::string::npos)
        throw Error(Exit::usage, fmt::format("{} needs --reason", action));
    auto tx = ctx.db().begin();
    // Every role change first locks the admin rows (in one order): two admins demoting each other
    // at once are serialised, and the second sees the first's change when it counts the admins.
    tx.exec("SELECT id FROM users WHERE role = $1 ORDER BY id FOR UPDATE", pg::params(rulebook::admin_role));
    auto actor = rulebook::require_actor(tx, o.actor, rulebook::Level::admin, action);
    Changed c;
    c.user_id = user::user_id_of(tx, o.ref, true);
    auto found = tx.exec("SELECT email::text AS email, role, status, is_guest FROM users WHERE id = $1::uuid", pg::params(c.user_id));
    auto row = found[0];
    c.email = row.str("email");
    c.old_role = row.str("role");
    c.new_role = new_role;
    if (row.boolean("is_guest")) throw Error(Exit::data, fmt::format("{}: {} is a guest account, which never holds a role", action, o.ref));
    // A role is granted to active accounts only; it can be taken from any (a banned moderator's, say).
    if (!revoking && row.str("status") != "active")
        throw Error(Exit::data, fmt::format("{}: {} is {}; a role is granted to active accounts only", action, o.ref, row.str("status")));
    if (revoking && !rulebook::is_staff(c.old_role))
        throw Error(Exit::data, fmt::format("staff revoke: {} is not staff (the role is {})", o.ref, c.old_role));
    if (c.old_role == c.new_role) throw Error(Exit::data, fmt::format("staff grant: {} is already {}", o.ref, c.new_role));
    if (c.old_role == rulebook::admin_role) {
        auto others = tx.exec("SELECT count(*) FROM users WHERE role = $1 AND status = 'active' AND id <> $2::uuid",
                              pg::params(rulebook::admin_role, c.user_id));
        if (others[0].integer(0) == 0)
            throw Error(Exit::data, fmt::format("{}: {} is the last active admin; grant admin to someone else first", action, c.email));
    }
    tx.exec("UPDATE users SET role = $2 WHERE id = $1::uuid", pg::params(c.user_id, c.new_role));
    tx.exec("INSERT INTO role_grants (user_id, old_role, new_role, granted_by, reason) VALUES ($1::uuid, $2, $3, $4::uuid, $5)",
            pg::params(c.user_id, c.old_role, c.new_role, actor.id, o.reason));
    audit::Entry e = rulebook::audit_entry(actor, action == "staff grant" ? "staff.grant" : "staff.revoke", "user", c.user_id, o.reason);
    e.before = nlohmann::json{{"role", c.old_role}}.dump();
    e.after = nlohmann::json{{"role", c.new_role}}.dump();
    c.audit_id = audit::record(tx, e);
    tx.commit();
    return c;
}

int report(Context& ctx, const Changed& c) {
    // After the commit: cached sessions and profiles may carry the old role.
    std::uint64_t removed = user::drop_cache_keys(ctx, c.user_id);
    using exporters::CellType;
    auto w = ctx.writer();
    w->begin({{"user_id"}, {"email"}, {"old_role"}, {"new_role"}, {"audit_id", CellType::integer}, {"cache_keys_removed", CellType::integer}});
    w->row({c.user_id, c.email, c.old_role, c.new_role, std::to_string(c.audit_id), std::to_string(removed)});
    w->end();
    return 0;
}

}  // namespace

int list(Context& ctx) {
    auto rows = ctx.db().exec(roster_sql());
    const auto& columns = roster_columns();
    auto w = ctx.writer();
    w->begin(columns);
    std::vector<exporters::Cell> cells(columns.size());
    for (auto r : rows) {
        for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = r.value(i);
        w->row(cells);
    }
    w->end();
    return 0;
}

int grant(Context& ctx, const RoleChangeOptions& o) {
    if (o.role.empty()) throw Error(Exit::usage, "staff grant needs the role: moderator or admin");
    return report(ctx, change_role(ctx, o, "staff grant"));
}

int revoke(Context& ctx, const RoleChangeOptions& o) {
    RoleChangeOptions back = o;
    back.role.clear();
    return report(ctx, change_role(ctx, back, "staff revoke"));
}

}  // namespace spotctl::staff
