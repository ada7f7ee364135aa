#include "commands/user/user.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/user/account_status.hpp"
#include "commands/user/erase.hpp"
#include "core/atomic_file.hpp"
#include "core/audit.hpp"
#include "core/errors.hpp"
#include "exporters/document.hpp"

namespace spotctl::user {
namespace {

using J = nlohmann::ordered_json;

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// The account `ref` names, without locking it (for reading).
std::string lookup(pg::Transaction& tx, const std::string& ref) { return user_id_of(tx, ref, false); }

J json_of(pg::Transaction& tx, const std::string& sql, const std::string& id) {
    auto r = tx.exec(sql, pg::params(id));
    if (r.empty() || r[0].is_null(0)) return nullptr;
    return J::parse(r[0].str(0));
}

const std::string profile_sql = fmt::format(R"(SELECT jsonb_build_object(
       'id', u.id, 'email', u.email, 'name', u.name, 'phone', u.phone, 'role', u.role, 'status', u.status,
       'suspended_until', to_char(u.suspended_until AT TIME ZONE 'UTC', {0}),
       'suspension', CASE WHEN u.status <> 'suspended' THEN NULL
                          WHEN u.suspended_until <= now() THEN 'lapsed at ' || to_char(u.suspended_until AT TIME ZONE 'UTC', {0})
                               || ': the account may sign in again; user restore clears the status'
                          ELSE 'in force until ' || to_char(u.suspended_until AT TIME ZONE 'UTC', {0}) END,
       'is_guest', u.is_guest,
       'has_password', u.password_hash IS NOT NULL, 'trust_score', u.trust_score,
       'created_at', to_char(u.created_at AT TIME ZONE 'UTC', {0}),
       'last_login_at', to_char(u.last_login_at AT TIME ZONE 'UTC', {0}))::text
  FROM users u WHERE u.id = $1::uuid)",
                                            utc);
constexpr const char* balance_sql = R"(SELECT jsonb_build_object('coin_balance', u.coin_balance, 'ledger_sum', l.total,
       'ledger_entries', l.entries, 'consistent', u.coin_balance = l.total)::text
  FROM users u, LATERAL (SELECT coalesce(sum(amount), 0) AS total, count(*) AS entries
                           FROM coin_transactions WHERE user_id = u.id) l
 WHERE u.id = $1::uuid)";
const std::string sessions_sql = fmt::format(R"(SELECT coalesce(jsonb_agg(jsonb_build_object(
       'id', s.id, 'created_at', to_char(s.created_at AT TIME ZONE 'UTC', {0}),
       'expires_at', to_char(s.expires_at AT TIME ZONE 'UTC', {0}),
       'revoked_at', to_char(s.revoked_at AT TIME ZONE 'UTC', {0}), 'ip', s.ip, 'user_agent', s.user_agent,
       'valid', s.revoked_at IS NULL AND s.expires_at > now()) ORDER BY s.created_at DESC), '[]')::text
  FROM (SELECT * FROM user_sessions WHERE user_id = $1::uuid ORDER BY created_at DESC LIMIT 10) s)",
                                             utc);
const std::string logins_sql = fmt::format(R"(SELECT coalesce(jsonb_agg(jsonb_build_object(
       'at', to_char(l.created_at AT TIME ZONE 'UTC', {0}), 'ip', l.ip, 'success', l.success, 'country', l.country)
       ORDER BY l.created_at DESC), '[]')::text
  FROM (SELECT * FROM login_attempts WHERE user_id = $1::uuid ORDER BY created_at DESC LIMIT 10) l)",
                                           utc);
const std::string risk_sql = fmt::format(R"(SELECT jsonb_build_object('score', r.score, 'factors', r.factors,
       'updated_at', to_char(r.updated_at AT TIME ZONE 'UTC', {0}))::text
  FROM user_risk_profiles r WHERE r.user_id = $1::uuid)",
                                         utc);
const std::string moderation_sql = fmt::format(R"(SELECT jsonb_build_object(
  'items', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'status', m.status, 'reason', m.reason,
                   'created_at', to_char(m.created_at AT TIME ZONE 'UTC', {0}), 'decision_note', m.decision_note)
                   ORDER BY m.created_at DESC), '[]')
              FROM (SELECT * FROM moderation_items WHERE subject_type = 'user' AND subject_id = $1::uuid
                     ORDER BY created_at DESC LIMIT 20) m),
  'reports_made', (SELECT count(*) FROM moderation_items WHERE reporter_id = $1::uuid),
  'audit', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', to_char(a.at AT TIME ZONE 'UTC', {0}),
                   'actor', coalesce(a.actor_email, 'system'), 'action', a.action, 'reason', a.reason) ORDER BY a.id DESC), '[]')
              FROM (SELECT * FROM audit_log WHERE subject_type = 'user' AND subject_id = $1::text ORDER BY id DESC LIMIT 20) a))::text)",
                                               utc);
const std::string open_alerts_sql = fmt::format(R"(SELECT coalesce(jsonb_agg(jsonb_build_object(
       'id', a.id, 'rule', a.rule, 'score', a.score, 'window_start', to_char(a.window_start AT TIME ZONE 'UTC', {0}),
       'window_end', to_char(a.window_end AT TIME ZONE 'UTC', {0})) ORDER BY a.score DESC, a.id), '[]')::text
  FROM fraud_alerts a WHERE a.subject_type = 'user' AND a.subject_id = $1::text AND a.status = 'open')",
                                                utc);

// Rows that name a user as their subject, beyond foreign keys (table -> extra condition on $1).
const std::pair<const char*, const char*> subject_rows[] = {
    {"moderation_items", "(subject_type = 'user' AND subject_id = $1::uuid)"},
    {"fraud_alerts", "(subject_type = 'user' AND subject_id = $1::text)"},
    {"audit_log", "(subject_type = 'user' AND subject_id = $1::text)"},
};

// Never exported: credentials (a hash is still a credential).
constexpr const char* secret_columns = " - 'password_hash' - 'token_hash'";

}  // namespace

int show(Context& ctx, const std::string& ref) {
    auto tx = ctx.db().begin(pg::Isolation::repeatable_read);
    std::string id = lookup(tx, ref);
    J doc;
    doc["profile"] = json_of(tx, profile_sql, id);
    doc["balance"] = json_of(tx, balance_sql, id);
    doc["risk"] = json_of(tx, risk_sql, id);
    doc["recent_sessions"] = json_of(tx, sessions_sql, id);
    doc["recent_logins"] = json_of(tx, logins_sql, id);
    doc["open_fraud_alerts"] = json_of(tx, open_alerts_sql, id);
    doc["moderation"] = json_of(tx, moderation_sql, id);
    tx.commit();
    exporters::write_document(ctx.out(), ctx.format(), doc.dump(), "user show");
    return 0;
}

int sanction(Context& ctx, const SanctionOptions& o) {
    using exporters::CellType;
    std::string verb(sanction_name(o.sanction));
    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, o.actor, sanction_level(o.sanction), "user " + verb);
    StatusChange change;
    change.user_id = find_user(tx, o.ref);
    change.sanction = o.sanction;
    change.reason = o.reason;
    if (o.until) change.until = resolve_until(tx, *o.until);
    auto changed = change_status(tx, a, change);
    tx.commit();
    std::uint64_t keys = drop_cache_keys(ctx, changed.user_id);
    auto writer = ctx.writer();
    writer->begin({{"user_id"}, {"email"}, {"old_status"}, {"new_status"}, {"suspended_until", CellType::timestamp},
                   {"sessions_revoked", CellType::integer}, {"cache_keys_removed", CellType::integer}});
    writer->row({changed.user_id, changed.email.empty() ? exporters::Cell() : exporters::Cell(changed.email), changed.old_status,
                 changed.new_status, changed.suspended_until, std::to_string(changed.sessions_revoked), std::to_string(keys)});
    writer->end();
    return 0;
}

std::string export_document(pg::Transaction& tx, const std::string& user_id) {
    // Every single-column foreign key to users, grouped by table.
    auto fks = tx.exec(R"(SELECT cl.relname AS tbl, quote_ident(n.nspname) || '.' || quote_ident(cl.relname) AS qualified,
       string_agg(quote_ident(a.attname), ',' ORDER BY a.attname) AS cols
  FROM pg_constraint c
  JOIN pg_class cl ON cl.oid = c.conrelid
  JOIN pg_namespace n ON n.oid = cl.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
 WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass AND cardinality(c.conkey) = 1 AND c.conrelid <> 'users'::regclass
 GROUP BY cl.relname, n.nspname
 ORDER BY cl.relname)");
    J doc;
    doc["user_id"] = user_id;
    doc["exported_at"] = tx.exec(fmt::format("SELECT to_char(now() AT TIME ZONE 'UTC', {})", utc))[0].str(0);
    J tables = J::object();
    tables["users"] = J::parse(tx.exec(fmt::format("SELECT coalesce(jsonb_agg(to_jsonb(t){}), '[]')::text FROM users t "
                                                   "WHERE id = $1::uuid",
                                                   secret_columns),
                                       pg::params(user_id))[0]
                                   .str(0));
    for (auto fk : fks) {
        std::string table = fk.str("tbl");
        std::string where;
        std::string cols = fk.str("cols");
        for (std::size_t start = 0; start <= cols.size();) {
            std::size_t comma = cols.find(',', start);
            if (comma == std::string::npos) comma = cols.size();
            where += (where.empty() ? "" : " OR ") + cols.substr(start, comma - start) + " = $1::uuid";
            start = comma + 1;
        }
        for (const auto& [t, cond] : subject_rows)
            if (table == t) where += std::string(" OR ") + cond;
        tables[table] = J::parse(tx.exec(fmt::format("SELECT coalesce(jsonb_agg(to_jsonb(t){}), '[]')::text FROM {} t WHERE {}",
                                                     secret_columns, fk.str("qualified"), where),
                                         pg::params(user_id))[0]
                                     .str(0));
    }
    doc["tables"] = std::move(tables);
    return doc.dump(2);
}

int export_data(Context& ctx, const ExportOptions& o) {
    auto tx = ctx.db().begin(pg::Isolation::repeatable_read);
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "user export");
    std::string id = find_user(tx, o.ref);
    std::string doc = export_document(tx, id);
    // Reading a person's data is recorded too: who exported whom, and how much (never the data).
    J counts = J::object();
    J parsed = J::parse(doc);
    for (const auto& [table, rows] : parsed["tables"].items()) counts[table] = rows.size();
    audit::Entry e = rulebook::audit_entry(a, "user.export", "user", id, "data access request");
    e.after = J{{"rows", counts}, {"file", o.file.empty() ? J(nullptr) : J(o.file)}}.dump();
    audit::record(tx, e);
    if (o.file.empty()) {
        tx.commit();
        ctx.out() << doc << "\n";
    } else {
        AtomicFile file(o.file, 0600);
        file.write(doc);
        file.write("\n");
        tx.commit();
        file.commit();
    }
    return 0;
}

int erase(Context& ctx, const EraseOptions& o) {
    using exporters::CellType;
    std::string id;
    {
        auto tx = ctx.db().begin();
        rulebook::require_actor(tx, o.actor, rulebook::Level::admin, "user erase");
        id = lookup(tx, o.ref);
    }
    ctx.confirm(fmt::format("Erase every piece of personal data of user {}? This cannot be undone.", id), o.yes);
    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::admin, "user erase");
    id = find_user(tx, id);
    if (id == a.id) throw Error(Exit::no_perm, fmt::format("{} may not erase their own account", a.email));
    Erased erased = erase_personal_data(tx, id);
    if (erased.old_status == "deleted" && erased.fields_set.empty())
        throw Error(Exit::data, fmt::format("user {} is already erased", id));
    audit::Entry e = rulebook::audit_entry(a, "user.erase", "user", id, o.reason);
    e.before = audit_before(erased);
    e.after = audit_after(erased);
    audit::record(tx, e);
    tx.commit();
    std::uint64_t keys = drop_cache_keys(ctx, id, erased.session_token_hashes);
    auto writer = ctx.writer();
    writer->begin({{"user_id"}, {"old_status"}, {"fields_erased", CellType::integer}, {"sessions_deleted", CellType::integer},
                   {"notifications_deleted", CellType::integer}, {"profile_changes_deleted", CellType::integer},
                   {"login_attempts_unlinked", CellType::integer}, {"cache_keys_removed", CellType::integer}});
    writer->row({id, erased.old_status, std::to_string(erased.fields_set.size()), std::to_string(erased.sessions),
                 std::to_string(erased.notifications), std::to_string(erased.profile_changes), std::to_string(erased.login_attempts),
                 std::to_string(keys)});
    writer->end();
    return 0;
}

}  // namespace spotctl::user
