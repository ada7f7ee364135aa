// moderate undo: a decision taken back within the undo window, restoring what the decision's own
// audit row says the subject was. Rewards go back through the ledger (a 'reversal' row), never by
// editing it.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/moderate/moderate.hpp"
#include "core/audit.hpp"
#include "core/id_prefix.hpp"
#include "rulebook/actor.hpp"
#include "rulebook/id_kinds.hpp"
#include "rulebook/derived_scores.hpp"

namespace spotctl::moderate {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

const std::string item_sql = fmt::format(R"(SELECT m.status, m.decided_by::text AS decided_by_id,
       coalesce(d.email::text, m.decided_by::text) AS decided_by, to_char(m.decided_at AT TIME ZONE 'UTC', {0}) AS decided_at,
       m.decided_at > now() - $2::interval AS recent, m.subject_type, m.subject_id::text AS subject_id,
       jsonb_build_object('status', m.status, 'decided_by', m.decided_by, 'decided_at', m.decided_at,
                          'decision_note', m.decision_note)::text AS before
  FROM moderation_items m LEFT JOIN users d ON d.id = m.decided_by
 WHERE m.id = $1::uuid FOR UPDATE OF m)",
                                         utc);

// The decision's audit row: what the subject was before, and the reward it paid.
constexpr const char* decision_row_sql = R"(SELECT action, before->'subject' AS subject_before,
       (after->'subject'->>'coin_transaction_id')::bigint AS coin_transaction_id
  FROM audit_log WHERE subject_type = 'moderation_item' AND subject_id = $1
   AND action IN ('moderation.approve', 'moderation.reject', 'moderation.escalate', 'moderation.dismiss', 'moderation.warn',
                  'moderation.suspend', 'moderation.correct')
 ORDER BY id DESC LIMIT 1)";

// Each subject type's restore from the snapshot $2 (DecisionBatch's subject_before) for subject $1.
struct Restore {
    const char* type;
    const char* sql;
};
const Restore restores[] = {
    // Snapshots from before corrections existed hold only the status.
    {"charger", "UPDATE chargers SET status = $2::jsonb->>'status', latitude = coalesce(($2::jsonb->>'latitude')::float8, latitude), "
                "longitude = coalesce(($2::jsonb->>'longitude')::float8, longitude), address = coalesce($2::jsonb->>'address', address) "
                "WHERE id = $1::uuid RETURNING status"},
    {"photo", "UPDATE charger_photos SET status = $2::jsonb->>'status', reviewed_at = ($2::jsonb->>'reviewed_at')::timestamptz "
              "WHERE id = $1::uuid RETURNING status"},
    {"review", "UPDATE charger_reviews SET status = $2::jsonb->>'status' WHERE id = $1::uuid RETURNING status"},
    {"user", "UPDATE users SET status = $2::jsonb->>'status', suspended_until = ($2::jsonb->>'suspended_until')::timestamptz "
             "WHERE id = $1::uuid RETURNING status"},
};

// An applied profile change gives the user their old value back (the field is one of the
// CHECK's three, named by the table, never by input), and is pending again.
constexpr const char* profile_fields[] = {"name", "phone", "email"};
constexpr const char* unapply_profile_sql = R"(UPDATE users u SET {0} = pc.old_value FROM profile_changes pc
 WHERE pc.id = $1::uuid AND pc.status = 'applied' AND pc.field = '{0}' AND u.id = pc.user_id AND u.status <> 'deleted')";
constexpr const char* reopen_profile_sql =
    "UPDATE profile_changes SET status = 'pending', decided_at = NULL WHERE id = $1::uuid RETURNING status";

constexpr const char* reverse_sql = R"(INSERT INTO coin_transactions (user_id, action, amount, reverses_id, description, metadata)
SELECT user_id, 'reversal', -amount, id, 'moderation decision undone', jsonb_build_object('moderation_item_id', $2::uuid)
  FROM coin_transactions WHERE id = $1::bigint
RETURNING user_id::text AS user_id, -amount AS reversed)";

const std::string reclaim_sql = fmt::format(R"(UPDATE moderation_items
   SET status = 'claimed', claimed_by = $2::uuid, claimed_until = now() + $3::interval,
       decided_by = NULL, decided_at = NULL, decision_note = NULL
 WHERE id = $1::uuid
RETURNING to_char(claimed_until AT TIME ZONE 'UTC', {0}) AS claimed_until)",
                                            utc);

std::string restore_subject(pg::Transaction& tx, const std::string& type, const std::string& subject_id, const std::string& snapshot) {
    if (type == "profile_change") {
        for (const char* field : profile_fields) tx.exec(fmt::format(unapply_profile_sql, field), pg::params(subject_id));
        auto r = tx.exec(reopen_profile_sql, pg::params(subject_id));
        return r.empty() ? "" : r[0].str("status");
    }
    for (const auto& x : restores)
        if (type == x.type) {
            auto r = tx.exec(x.sql, pg::params(subject_id, snapshot));
            return r.empty() ? "" : r[0].str("status");
        }
    return "";
}

}  // namespace

Undone undo_item(Context& ctx, const UndoOptions& options) {
    auto window = std::chrono::duration_cast<std::chrono::seconds>(rulebook::undo_window);
    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, options.actor, rulebook::Level::moderator, "moderate undo");
    UndoOptions o = options;
    o.id = resolve_id(tx, rulebook::moderation_item_ids, o.id, "id");
    auto cur = tx.exec(item_sql, pg::params(o.id, fmt::format("{} seconds", window.count())));
    if (cur.empty()) throw Error(Exit::data, fmt::format("no moderation item '{}'", o.id));
    auto item = cur[0];
    std::string status = item.str("status");
    if (status != "approved" && status != "rejected" && status != "escalated")
        throw Error(Exit::data, fmt::format("item {} is not decided (it is {}): nothing to undo", o.id, status));
    if (item.str("decided_by_id") != a.id)
        throw Error(Exit::no_perm, fmt::format("item {} was decided by {}: only they may undo it", o.id, item.str("decided_by")));
    if (!item.boolean("recent"))
        throw Error(Exit::data, fmt::format("item {} was decided at {}, more than {} ago: a decision can be undone only within {}",
                                            o.id, item.str("decided_at"), rulebook::duration_text(window),
                                            rulebook::duration_text(window)));
    auto rows = tx.exec(decision_row_sql, pg::params(o.id));
    if (rows.empty()) throw Error(Exit::data, fmt::format("item {} has no decision in the audit log to undo", o.id));
    auto decision = rows[0];

    Undone out;
    out.id = o.id;
    out.decision = decision.str("action").substr(std::string_view("moderation.").size());
    out.subject_type = item.str("subject_type");
    nlohmann::json after;
    if (out.decision != "escalate" && !decision.is_null("subject_before"))
        out.subject_status = restore_subject(tx, out.subject_type, item.str("subject_id"), decision.str("subject_before"));
    if (!decision.is_null("coin_transaction_id")) {
        auto paid = decision.str("coin_transaction_id");
        auto reversed = tx.exec(reverse_sql, pg::params(paid, o.id));
        if (!reversed.empty()) {
            out.coins_reversed = reversed[0].integer("reversed");
            tx.exec(rulebook::recompute_trust_sql("SELECT $1::uuid"), pg::params(reversed[0].str("user_id")));
            after["coins_reversed"] = out.coins_reversed;
            after["reverses_coin_transaction_id"] = std::stoll(paid);
        }
    }
    auto until = tx.exec(reclaim_sql, pg::params(o.id, a.id, fmt::format("{} milliseconds", o.claim_for.count())))[0].str(0);
    after["status"] = "claimed";
    after["claimed_by"] = a.id;
    after["claimed_until"] = until;
    after["subject_status"] = out.subject_status.empty() ? nlohmann::json(nullptr) : nlohmann::json(out.subject_status);
    audit::Entry e = rulebook::audit_entry(a, "moderation.undo", "moderation_item", o.id, "undo of " + out.decision);
    e.before = item.str("before");
    e.after = after.dump();
    audit::record(tx, e);
    tx.commit();
    return out;
}

int undo(Context& ctx, const UndoOptions& o) {
    using exporters::CellType;
    auto u = undo_item(ctx, o);
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"undone"}, {"status"}, {"subject_type"}, {"subject_status"}, {"coins_reversed", CellType::integer}});
    writer->row({u.id, u.decision, std::string("claimed"), u.subject_type,
                 u.subject_status.empty() ? exporters::Cell() : exporters::Cell(u.subject_status), std::to_string(u.coins_reversed)});
    writer->end();
    return 0;
}

}  // namespace spotctl::moderate
