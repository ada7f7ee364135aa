// moderate queue and moderate show: reading the queue, an item and everything about its subject.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/moderate/moderate.hpp"
#include "core/id_prefix.hpp"
#include "exporters/document.hpp"
#include "rulebook/id_kinds.hpp"

namespace spotctl::moderate {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// An expired claim is open again: it shows (and filters) as open.
constexpr const char* effective_status =
    "CASE WHEN m.status = 'claimed' AND m.claimed_until <= now() THEN 'open' ELSE m.status END";

const std::string queue_sql = fmt::format(R"(SELECT m.id::text AS id, m.subject_type, m.subject_id::text AS subject_id,
       {1} AS status, m.reason, coalesce(r.email::text, m.reporter_id::text) AS reporter,
       CASE WHEN m.status = 'claimed' THEN coalesce(c.email::text, m.claimed_by::text) END AS claimed_by,
       CASE WHEN m.status = 'claimed' THEN m.claimed_by::text END AS claimed_by_id,
       CASE WHEN m.status = 'claimed' THEN to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) END AS claimed_until,
       to_char(m.created_at AT TIME ZONE 'UTC', {0}) AS created_at,
       extract(epoch FROM now() - m.created_at)::bigint AS age_seconds
  FROM moderation_items m
  LEFT JOIN users r ON r.id = m.reporter_id
  LEFT JOIN users c ON c.id = m.claimed_by
 WHERE m.status IN ('open', 'claimed', 'escalated')
   AND ($1::text IS NULL OR m.subject_type = $1)
   AND ($2::text IS NULL OR {1} = $2)
   AND ($3::interval IS NULL OR m.created_at < now() - $3::interval)
 ORDER BY m.created_at, m.id
 LIMIT $4::bigint)",
                                          utc, effective_status);

const std::string item_sql = fmt::format(R"(SELECT jsonb_build_object(
       'id', m.id, 'subject_type', m.subject_type, 'subject_id', m.subject_id, 'status', {1}, 'reason', m.reason,
       'created_at', to_char(m.created_at AT TIME ZONE 'UTC', {0}),
       'claimed_by', CASE WHEN m.status = 'claimed' THEN coalesce(c.email::text, m.claimed_by::text) END,
       'claimed_until', CASE WHEN m.status = 'claimed' THEN to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) END,
       'decided_by', coalesce(d.email::text, m.decided_by::text),
       'decided_at', to_char(m.decided_at AT TIME ZONE 'UTC', {0}),
       'decision_note', m.decision_note)::text AS item,
       (SELECT jsonb_build_object('id', r.id, 'email', r.email, 'name', r.name, 'status', r.status, 'role', r.role)
          FROM users r WHERE r.id = m.reporter_id)::text AS reporter,
       m.subject_type, m.subject_id::text AS subject_id
  FROM moderation_items m
  LEFT JOIN users c ON c.id = m.claimed_by
  LEFT JOIN users d ON d.id = m.decided_by
 WHERE m.id = $1::uuid)",
                                         utc, effective_status);

// The subject in full, per type ($1 its id). Secrets (password hashes, token hashes) never.
const char* subject_sql(const std::string& type) {
    if (type == "charger")
        return R"(SELECT (to_jsonb(x) || jsonb_build_object(
       'added_by_email', (SELECT email FROM users WHERE id = x.added_by),
       'photos', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'status', p.status, 'storage_url', p.storage_url,
                                                               'uploader_id', p.uploader_id, 'created_at', p.created_at)
                                            ORDER BY p.created_at), '[]') FROM charger_photos p WHERE p.charger_id = x.id),
       'verifications', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', v.id, 'user_id', v.user_id, 'reported_status',
                                                                      v.reported_status, 'note', v.note, 'created_at', v.created_at)
                                                   ORDER BY v.created_at DESC), '[]')
                           FROM (SELECT * FROM charger_verifications WHERE charger_id = x.id
                                  ORDER BY created_at DESC LIMIT 20) v)))::text
  FROM chargers x WHERE x.id = $1::uuid)";
    if (type == "photo")
        return R"(SELECT (to_jsonb(x) || jsonb_build_object(
       'charger_name', c.name, 'uploader_email', u.email))::text
  FROM charger_photos x JOIN chargers c ON c.id = x.charger_id JOIN users u ON u.id = x.uploader_id WHERE x.id = $1::uuid)";
    if (type == "review")
        return R"(SELECT (to_jsonb(x) || jsonb_build_object('charger_name', c.name, 'author_email', u.email))::text
  FROM charger_reviews x JOIN chargers c ON c.id = x.charger_id JOIN users u ON u.id = x.user_id WHERE x.id = $1::uuid)";
    if (type == "profile_change")
        return R"(SELECT (to_jsonb(x) || jsonb_build_object('user_email', u.email, 'user_status', u.status))::text
  FROM profile_changes x JOIN users u ON u.id = x.user_id WHERE x.id = $1::uuid)";
    // A reported user, with recent activity.
    return R"(SELECT (jsonb_build_object('id', x.id, 'email', x.email, 'name', x.name, 'role', x.role, 'status', x.status,
       'suspended_until', x.suspended_until, 'created_at', x.created_at, 'last_login_at', x.last_login_at,
       'coin_balance', x.coin_balance, 'trust_score', x.trust_score) || jsonb_build_object('recent_activity', jsonb_build_object(
       'logins', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', l.created_at, 'ip', l.ip, 'success', l.success,
                                                               'country', l.country) ORDER BY l.created_at DESC), '[]')
                    FROM (SELECT * FROM login_attempts WHERE user_id = x.id ORDER BY created_at DESC LIMIT 10) l),
       'coin_transactions', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', t.created_at, 'action', t.action,
                                                                          'amount', t.amount) ORDER BY t.id DESC), '[]')
                    FROM (SELECT * FROM coin_transactions WHERE user_id = x.id ORDER BY id DESC LIMIT 10) t),
       'reviews', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'rating', r.rating, 'status', r.status,
                                                                'created_at', r.created_at) ORDER BY r.created_at DESC), '[]')
                    FROM (SELECT * FROM charger_reviews WHERE user_id = x.id ORDER BY created_at DESC LIMIT 10) r),
       'verifications_last_30_days', (SELECT count(*) FROM charger_verifications
                                       WHERE user_id = x.id AND created_at > now() - interval '30 days'))))::text
  FROM users x WHERE x.id = $1::uuid)";
}

const std::string history_sql = fmt::format(R"(SELECT coalesce(jsonb_agg(jsonb_build_object(
       'at', to_char(a.at AT TIME ZONE 'UTC', {0}), 'actor', coalesce(a.actor_email, 'system'), 'action', a.action,
       'reason', a.reason) ORDER BY a.id), '[]')::text
  FROM audit_log a WHERE a.subject_type = 'moderation_item' AND a.subject_id = $1)",
                                            utc);

}  // namespace

std::vector<QueueItem> queue_items(pg::Connection& db, const QueueOptions& o) {
    pg::Value older;
    if (o.older_than) older = fmt::format("{} milliseconds", o.older_than->count());
    auto rows = db.exec(queue_sql, pg::params(o.type.empty() ? std::nullopt : pg::Value(o.type),
                                              o.status.empty() ? std::nullopt : pg::Value(o.status), older,
                                              o.limit > 0 ? pg::Value(std::to_string(o.limit)) : std::nullopt));
    std::vector<QueueItem> out;
    for (auto r : rows)
        out.push_back({r.str("id"), r.str("subject_type"), r.str("subject_id"), r.str("status"), r.str("reason"), r.str("reporter"),
                       r.str("claimed_by_id"), r.str("claimed_by"), r.str("claimed_until"), r.str("created_at"),
                       r.integer("age_seconds")});
    return out;
}

int queue(Context& ctx, const QueueOptions& o) {
    using exporters::CellType;
    auto items = queue_items(ctx.db(), o);
    // An absent reporter, claim or lease is NULL in every format, not "".
    auto cell = [](const std::string& v) { return v.empty() ? exporters::Cell() : exporters::Cell(v); };
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"subject_type"}, {"subject_id"}, {"status"}, {"reason"}, {"reporter"}, {"claimed_by"},
                   {"claimed_until", CellType::timestamp}, {"created_at", CellType::timestamp}});
    for (const auto& r : items)
        writer->row({r.id, r.subject_type, r.subject_id, r.status, r.reason, cell(r.reporter), cell(r.claimed_by),
                     cell(r.claimed_until), r.created_at});
    writer->end();
    return 0;
}

std::string item_document(pg::Connection& db, const std::string& id_text) {
    auto tx = db.begin(pg::Isolation::repeatable_read);
    std::string id = resolve_id(tx, rulebook::moderation_item_ids, id_text, "id");
    auto found = tx.exec("SELECT 1 FROM moderation_items WHERE id = $1::uuid", pg::params(id));
    if (found.empty()) throw Error(Exit::data, fmt::format("no moderation item '{}'", id), "list the queue with `spotctl moderate queue`");
    auto item_result = tx.exec(item_sql, pg::params(id));
    auto item = item_result[0];
    nlohmann::ordered_json doc;
    doc["item"] = nlohmann::ordered_json::parse(item.str("item"));
    doc["reporter"] = item.is_null("reporter") ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json::parse(item.str("reporter"));
    std::string type = item.str("subject_type");
    auto subject = tx.exec(subject_sql(type), pg::params(item.str("subject_id")));
    doc["subject"] = subject.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json::parse(subject[0].str(0));
    doc["history"] = nlohmann::ordered_json::parse(tx.exec(history_sql, pg::params(id))[0].str(0));
    tx.commit();
    return doc.dump();
}

void write_item(Context& ctx, const std::string& id) {
    exporters::write_document(ctx.out(), ctx.format(), item_document(ctx.db(), id), "moderate show");
}

int show(Context& ctx, const std::string& id) {
    write_item(ctx, id);
    return 0;
}

}  // namespace spotctl::moderate
