#include "commands/user/account_status.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/cache/cache.hpp"
#include "core/duration.hpp"
#include "core/errors.hpp"
#include "core/id_prefix.hpp"
#include "rulebook/id_kinds.hpp"
#include "core/time_spec.hpp"

namespace spotctl::user {
std::string_view sanction_name(Sanction s) {
    switch (s) {
        case Sanction::suspend: return "suspend";
        case Sanction::ban: return "ban";
        case Sanction::restore: return "restore";
    }
    return "?";
}

rulebook::Level sanction_level(Sanction s) { return s == Sanction::ban ? rulebook::Level::admin : rulebook::Level::moderator; }

std::string resolve_until(pg::Transaction& tx, const std::string& until, const std::string& flag) {
    return time_spec::resolve_instant(tx, time_spec::parse(until, flag, time_spec::Toward::future), time_spec::Edge::end);
}

std::string user_id_of(pg::Transaction& tx, std::string_view ref, bool lock) {
    bool by_email = ref.find('@') != std::string_view::npos;
    std::string id = by_email ? std::string(ref) : resolve_id(tx, rulebook::user_ids, ref, "user");
    auto r = tx.exec(std::string(by_email ? "SELECT id::text AS id FROM users WHERE email = $1::citext"
                                          : "SELECT id::text AS id FROM users WHERE id = $1::uuid") +
                         (lock ? " FOR UPDATE" : ""),
                     pg::params(id));
    if (r.empty())
        throw Error(Exit::data, fmt::format("no user with {} '{}'", by_email ? "e-mail" : "id", ref),
                    "give the account's e-mail, its id or a unique prefix of the id");
    return r[0].str("id");
}

std::string find_user(pg::Transaction& tx, std::string_view ref) { return user_id_of(tx, ref, true); }

StatusChanged change_status(pg::Transaction& tx, const rulebook::Actor& actor, const StatusChange& c) {
    std::string_view verb = sanction_name(c.sanction);
    if (c.reason.empty()) throw Error(Exit::usage, fmt::format("a {} needs --reason", verb));
    auto cur = tx.exec(
        "SELECT email::text AS email, role, status, to_char(suspended_until AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS until FROM users WHERE id = $1::uuid FOR UPDATE",
        pg::params(c.user_id));
    if (cur.empty()) throw Error(Exit::data, fmt::format("no user with id '{}'", c.user_id));
    auto row = cur[0];
    StatusChanged out;
    out.user_id = c.user_id;
    out.email = row.str("email");
    out.old_status = row.str("status");
    std::string role = row.str("role");
    if (c.user_id == actor.id) throw Error(Exit::no_perm, fmt::format("{} may not {} their own account", actor.email, verb));
    if (rulebook::is_staff(role) && !rulebook::role_allows(actor.role, rulebook::Level::admin))
        throw Error(Exit::no_perm, fmt::format("{} is refused: user {} is {} {}, and only an admin may {} staff", verb, c.user_id,
                                               role == "admin" ? "an" : "a", role, verb));
    if (out.old_status == "deleted")
        throw Error(Exit::data, fmt::format("user {} is deleted; there is nothing to {}", c.user_id, verb));

    std::string new_status;
    std::optional<std::string> until;
    switch (c.sanction) {
        case Sanction::suspend: {
            if (!c.until) throw Error(Exit::usage, "a suspension needs --until TIME", "use `user ban` for no end date");
            auto t = tx.exec("SELECT $1::timestamptz > now() AS future", pg::params(*c.until));
            if (!t[0].boolean("future"))
                throw Error(Exit::data, fmt::format("--until {} is not in the future", *c.until));
            new_status = "suspended";
            until = c.until;
            break;
        }
        case Sanction::ban: new_status = "banned"; break;
        case Sanction::restore:
            if (out.old_status == "active")
                throw Error(Exit::data, fmt::format("user {} is already active; there is nothing to restore", c.user_id));
            new_status = "active";
            break;
    }
    auto updated = tx.exec(
        "UPDATE users SET status = $2, suspended_until = $3::timestamptz WHERE id = $1::uuid "
        "RETURNING to_char(suspended_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS until",
        pg::params(c.user_id, new_status, until));
    out.new_status = new_status;
    if (!updated[0].is_null("until")) out.suspended_until = updated[0].str("until");
    if (c.sanction != Sanction::restore) {
        auto revoked = tx.exec(
            "UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL AND expires_at > now()",
            pg::params(c.user_id));
        out.sessions_revoked = revoked.affected_rows();
    }

    nlohmann::json before = {{"status", out.old_status}};
    before["suspended_until"] = row.is_null("until") ? nlohmann::json(nullptr) : nlohmann::json(row.str("until"));
    nlohmann::json after = {{"status", new_status}, {"sessions_revoked", out.sessions_revoked}};
    after["suspended_until"] = out.suspended_until ? nlohmann::json(*out.suspended_until) : nlohmann::json(nullptr);
    out.before = before.dump();
    out.after = after.dump();
    if (!c.write_audit) return out;
    audit::Entry e = rulebook::audit_entry(actor, c.action.empty() ? fmt::format("user.{}", verb) : c.action, "user", c.user_id, c.reason);
    e.before = out.before;
    e.after = out.after;
    out.audit_id = audit::record(tx, e);
    return out;
}

std::uint64_t drop_cache_keys(Context& ctx, const std::string& user_id) {
    std::vector<std::string> hashes;
    for (auto row : ctx.db().exec("SELECT token_hash FROM user_sessions WHERE user_id = $1::uuid ORDER BY token_hash",
                                  pg::params(user_id)))
        hashes.push_back(row.str("token_hash"));
    return drop_cache_keys(ctx, user_id, hashes);
}

namespace {

// Runs a removal of `user_id`'s keys after its change committed: a Redis failure says the change
// stands and how to finish the job.
template <typename F>
std::uint64_t after_commit(const std::string& user_id, F remove) {
    try {
        return remove();
    } catch (const Error& e) {
        throw Error(Exit::temp_fail,
                    fmt::format("the change to user {} is saved, but its cache keys were not removed: {}", user_id, e.what()),
                    fmt::format("the servers may serve stale data until the keys expire; run `spotctl cache invalidate --user {}`",
                                user_id));
    }
}

}  // namespace

std::uint64_t drop_cache_keys(Context& ctx, const std::string& user_id, const std::vector<std::string>& session_token_hashes) {
    return after_commit(user_id, [&] {
        std::uint64_t removed = 0;
        for (const auto& r : cache::remove_entity_keys(ctx, cache::Entity::user, user_id, false)) removed += r.removed;
        return removed + cache::remove_session_keys(ctx, session_token_hashes, false).removed;
    });
}

std::uint64_t drop_session_keys(Context& ctx, const std::string& user_id, const std::vector<std::string>& session_token_hashes) {
    return after_commit(user_id, [&] { return cache::remove_session_keys(ctx, session_token_hashes, false).removed; });
}

}  // namespace spotctl::user
