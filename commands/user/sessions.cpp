#include "commands/user/sessions.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/user/account_status.hpp"
#include "core/audit.hpp"
#include "core/uuid.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::user {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

const std::string list_sql = fmt::format(R"(SELECT id::text AS id,
       CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'active' END AS state,
       to_char(created_at AT TIME ZONE 'UTC', {0}) AS created_at, to_char(expires_at AT TIME ZONE 'UTC', {0}) AS expires_at,
       to_char(revoked_at AT TIME ZONE 'UTC', {0}) AS revoked_at, host(ip) AS ip, user_agent
  FROM user_sessions WHERE user_id = $1::uuid ORDER BY created_at DESC, id)",
                                         utc);

// $1 the user, $2 one session's id or NULL for all of them: the active ones are revoked.
constexpr const char* revoke_sql = R"(UPDATE user_sessions SET revoked_at = now()
 WHERE user_id = $1::uuid AND ($2::uuid IS NULL OR id = $2::uuid) AND revoked_at IS NULL AND expires_at > now()
RETURNING id::text AS id, token_hash)";

}  // namespace

int list_sessions(Context& ctx, const std::string& ref) {
    auto tx = ctx.db().begin(pg::Isolation::repeatable_read);
    std::string id = find_user(tx, ref);
    auto rows = tx.exec(list_sql, pg::params(id));
    tx.commit();
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"state"}, {"created_at", exporters::CellType::timestamp}, {"expires_at", exporters::CellType::timestamp},
                   {"revoked_at", exporters::CellType::timestamp}, {"ip"}, {"user_agent"}});
    for (auto r : rows)
        writer->row({r.value("id"), r.value("state"), r.value("created_at"), r.value("expires_at"), r.value("revoked_at"), r.value("ip"),
                     r.value("user_agent")});
    writer->end();
    return 0;
}

RevokedSessions revoke_active_sessions(pg::Transaction& tx, const std::string& user_id, const pg::Value& session) {
    RevokedSessions out;
    for (auto r : tx.exec(revoke_sql, pg::params(user_id, session))) {
        out.ids.push_back(r.str("id"));
        out.token_hashes.push_back(r.str("token_hash"));
    }
    return out;
}

int revoke_sessions(Context& ctx, const RevokeSessionsOptions& o) {
    if (o.all == !o.session.empty()) throw Error(Exit::usage, "give a SESSION id or --all, not both and not neither");
    if (!o.session.empty() && !looks_like_uuid(o.session))
        throw Error(Exit::usage, fmt::format("invalid session id '{}': expected a UUID", o.session),
                    "list them with `spotctl user sessions USER`");
    if (o.reason.find_first_not_of(" \t") == std::string::npos) throw Error(Exit::usage, "user sessions revoke needs --reason");
    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "user sessions revoke");
    std::string user_id = find_user(tx, o.ref);
    if (!o.session.empty()) {
        auto found = tx.exec("SELECT revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired FROM user_sessions "
                             "WHERE id = $1::uuid AND user_id = $2::uuid",
                             pg::params(o.session, user_id));
        if (found.empty()) throw Error(Exit::data, fmt::format("user {} has no session {}", o.ref, o.session));
        if (found[0].boolean("revoked")) throw Error(Exit::data, fmt::format("session {} is already revoked", o.session));
        if (found[0].boolean("expired")) throw Error(Exit::data, fmt::format("session {} has expired", o.session));
    }
    auto [ids, hashes] = revoke_active_sessions(tx, user_id, o.session.empty() ? std::nullopt : pg::Value(o.session));
    audit::Entry e = rulebook::audit_entry(a, "user.sessions_revoke", "user", user_id, o.reason);
    e.before = nlohmann::json{{"active_sessions", ids}}.dump();
    e.after = nlohmann::json{{"revoked_sessions", ids}}.dump();
    if (!ids.empty()) audit::record(tx, e);
    tx.commit();
    // After the commit, the revoked sessions' cached keys (the account's other keys stay).
    std::uint64_t removed = drop_session_keys(ctx, user_id, hashes);
    auto writer = ctx.writer();
    writer->begin({{"user_id"}, {"sessions_revoked", exporters::CellType::integer}, {"cache_keys_removed", exporters::CellType::integer}});
    writer->row({user_id, std::to_string(ids.size()), std::to_string(removed)});
    writer->end();
    return 0;
}

}  // namespace spotctl::user
