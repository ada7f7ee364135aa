#include "commands/moderate/decisions.hpp"

#include <fmt/format.h>

#include "commands/user/account_status.hpp"
#include "core/audit.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::moderate {
namespace {

constexpr const char* create_sql = R"(CREATE TEMP TABLE moderate_decisions (
    line           bigint  NOT NULL,
    id             uuid    NOT NULL,
    decision       text    NOT NULL,
    reason         text    NOT NULL,
    latitude       double precision,
    longitude      double precision,
    address        text,
    active         boolean NOT NULL DEFAULT true,
    subject_type   text,
    subject_id     uuid,
    item_before    jsonb,
    subject_before jsonb,
    subject_after  jsonb,
    detail         jsonb   NOT NULL DEFAULT '{}'
) ON COMMIT DROP)";

constexpr const char* lock_sql =
    "SELECT m.id FROM moderation_items m WHERE m.id IN (SELECT id FROM moderate_decisions) ORDER BY m.id FOR UPDATE";

constexpr const char* fill_sql = R"(UPDATE moderate_decisions b
   SET subject_type = m.subject_type, subject_id = m.subject_id,
       item_before = jsonb_build_object('status', m.status, 'claimed_by', m.claimed_by, 'claimed_until', m.claimed_until,
                                        'decided_by', m.decided_by, 'decided_at', m.decided_at)
  FROM moderation_items m WHERE m.id = b.id)";

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// $1 the actor's id, $2 the actor's role.
const std::string problems_sql = fmt::format(R"(SELECT * FROM (
SELECT b.line, b.id::text AS id, b.decision, m.status, m.subject_type,
       CASE WHEN m.id IS NULL THEN 'unknown'
            WHEN b.decision IN ('warn', 'suspend') AND m.subject_type <> 'user'
              OR b.decision = 'dismiss' AND m.subject_type NOT IN ('user', 'charger')
              OR b.decision = 'correct' AND m.subject_type <> 'charger' THEN 'wrong_subject'
            WHEN b.decision IN ('dismiss', 'correct') AND m.subject_type = 'charger'
             AND EXISTS (SELECT 1 FROM chargers c WHERE c.id = m.subject_id AND c.status = 'pending') THEN 'pending_charger'
            WHEN m.status IN ('approved', 'rejected') THEN 'decided'
            WHEN m.status = 'escalated' AND b.decision = 'escalate' THEN 'escalated'
            WHEN m.status = 'escalated' AND $2 <> 'admin' THEN 'needs_admin'
            WHEN m.status = 'claimed' AND m.claimed_by <> $1::uuid AND m.claimed_until > now() THEN 'claimed'
       END AS problem,
       coalesce(d.email::text, m.decided_by::text) AS decided_by,
       to_char(m.decided_at AT TIME ZONE 'UTC', {0}) AS decided_at,
       coalesce(c.email::text, m.claimed_by::text) AS claimed_by,
       to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) AS claimed_until
  FROM moderate_decisions b
  LEFT JOIN moderation_items m ON m.id = b.id
  LEFT JOIN users d ON d.id = m.decided_by
  LEFT JOIN users c ON c.id = m.claimed_by) p
 WHERE problem IS NOT NULL ORDER BY line)",
                                             utc);

// Each subject type: its table and the state a snapshot keeps (never personal values).
struct SubjectTable {
    const char* type;
    const char* table;
    const char* state;
};
const SubjectTable subject_tables[] = {
    {"charger", "chargers", "jsonb_build_object('status', x.status, 'latitude', x.latitude, 'longitude', x.longitude, 'address', x.address)"},
    {"photo", "charger_photos", "jsonb_build_object('status', x.status, 'uploader_id', x.uploader_id, 'reviewed_at', x.reviewed_at)"},
    {"review", "charger_reviews", "jsonb_build_object('status', x.status, 'user_id', x.user_id)"},
    {"profile_change", "profile_changes", "jsonb_build_object('status', x.status, 'field', x.field, 'user_id', x.user_id)"},
    {"user", "users", "jsonb_build_object('status', x.status, 'suspended_until', x.suspended_until)"},
};

// The subject changes. 'escalate' and 'dismiss' leave the subject as it is; a correction keeps
// what it does not name.
const char* const subject_changes[] = {
    R"(UPDATE chargers x SET status = CASE b.decision WHEN 'approve' THEN 'active' ELSE 'hidden' END
  FROM moderate_decisions b
 WHERE b.active AND b.subject_type = 'charger' AND b.decision IN ('approve', 'reject') AND x.id = b.subject_id)",
    R"(UPDATE chargers x SET latitude = coalesce(b.latitude, x.latitude), longitude = coalesce(b.longitude, x.longitude),
       address = coalesce(b.address, x.address)
  FROM moderate_decisions b
 WHERE b.active AND b.subject_type = 'charger' AND b.decision = 'correct' AND x.id = b.subject_id)",
    R"(UPDATE charger_photos x SET status = CASE b.decision WHEN 'approve' THEN 'approved' ELSE 'rejected' END, reviewed_at = now()
  FROM moderate_decisions b
 WHERE b.active AND b.subject_type = 'photo' AND b.decision IN ('approve', 'reject') AND x.id = b.subject_id)",
    R"(UPDATE charger_reviews x SET status = CASE b.decision WHEN 'approve' THEN 'published' ELSE 'removed' END
  FROM moderate_decisions b
 WHERE b.active AND b.subject_type = 'review' AND b.decision IN ('approve', 'reject') AND x.id = b.subject_id)",
};

// An approved profile change is applied to its user, field by field (at most one pending
// change per user and field, so each UPDATE sets each user once). A deleted account gets
// nothing back.
const char* const profile_fields[] = {"name", "phone", "email"};
constexpr const char* apply_profile_sql = R"(UPDATE users u SET {0} = pc.new_value
  FROM moderate_decisions b JOIN profile_changes pc ON pc.id = b.subject_id
 WHERE b.active AND b.subject_type = 'profile_change' AND b.decision = 'approve' AND pc.status = 'pending'
   AND pc.field = '{0}' AND u.id = pc.user_id AND u.status <> 'deleted')";
constexpr const char* close_profile_sql = R"(UPDATE profile_changes x
   SET status = CASE b.decision WHEN 'approve' THEN 'applied' ELSE 'discarded' END, decided_at = now()
  FROM moderate_decisions b
 WHERE b.active AND b.subject_type = 'profile_change' AND b.decision IN ('approve', 'reject') AND x.id = b.subject_id
   AND x.status = 'pending')";

// Approving a charger, a photo or a review pays its contributor the rulebook's reward, once per
// subject: a subject that already has the approved status (a report about a live charger kept
// as it is) or that was paid before (approved, rejected, approved again) earns nothing more.
struct PaidSubject {
    const char* type;
    const char* approved_status;  // what subject_changes sets on approval
};
const PaidSubject paid_subjects[] = {{"charger", "active"}, {"photo", "approved"}, {"review", "published"}};

std::string reward_sql(const PaidSubject& s) {
    const rulebook::Reward& r = *rulebook::reward_for_subject(s.type);
    return fmt::format(R"(WITH paid AS (
    INSERT INTO coin_transactions (user_id, action, amount, description, metadata)
    SELECT x.{beneficiary}, '{action}', {coins}, '{action} reward',
           {metadata} || jsonb_build_object('moderation_item_id', b.id)
      FROM moderate_decisions b JOIN {table} x ON x.id = b.subject_id
     WHERE b.active AND b.subject_type = '{type}' AND b.decision = 'approve' AND x.status <> '{approved}'
       AND x.{beneficiary} IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM coin_transactions t
                        WHERE t.user_id = x.{beneficiary} AND t.action = '{action}' AND {subject} = x.id::text)
     ORDER BY x.{beneficiary}
    RETURNING (metadata->>'moderation_item_id')::uuid AS item_id, amount, id)
UPDATE moderate_decisions b SET detail = b.detail || jsonb_build_object('coins', paid.amount, 'coin_transaction_id', paid.id)
  FROM paid WHERE b.id = paid.item_id)",
                       fmt::arg("beneficiary", r.beneficiary_column), fmt::arg("action", r.action), fmt::arg("coins", r.coins),
                       fmt::arg("metadata", rulebook::reward_metadata_sql("x.id")), fmt::arg("table", r.subject_table),
                       fmt::arg("type", s.type), fmt::arg("approved", s.approved_status),
                       fmt::arg("subject", rulebook::reward_subject_sql("t.metadata")));
}

// The paid users' trust_score follows their new contributions.
const std::string paid_trust_sql = rulebook::recompute_trust_sql(
    "SELECT DISTINCT t.user_id FROM moderate_decisions b JOIN coin_transactions t ON t.id = (b.detail->>'coin_transaction_id')::bigint "
    "WHERE b.active");

// Warning a reported user (or approving: the older name) keeps the account and warns its owner
// (an in-app notification); suspending (or rejecting) suspends it (below, through user::change_status).
constexpr const char* warn_sql = R"(WITH warned AS (
    INSERT INTO notifications (user_id, channel, template, payload)
    SELECT b.subject_id, 'in_app', 'moderation_warning', jsonb_build_object('moderation_item_id', b.id, 'reason', b.reason)
      FROM moderate_decisions b JOIN users u ON u.id = b.subject_id
     WHERE b.active AND b.subject_type = 'user' AND b.decision IN ('approve', 'warn') AND u.status <> 'deleted'
    RETURNING (payload->>'moderation_item_id')::uuid AS item_id, id)
UPDATE moderate_decisions b SET detail = b.detail || jsonb_build_object('warning_notification_id', warned.id)
  FROM warned WHERE b.id = warned.item_id)";

// The item's status: whether its subject stays (approved) or is taken down (rejected).
constexpr const char* new_status =
    "CASE WHEN b.decision IN ('reject', 'suspend') THEN 'rejected' WHEN b.decision = 'escalate' THEN 'escalated' ELSE 'approved' END";

const std::string decide_items_sql = fmt::format(R"(UPDATE moderation_items m
   SET status = {}, decided_by = $1::uuid, decided_at = now(), decision_note = b.reason,
       claimed_by = NULL, claimed_until = NULL
  FROM moderate_decisions b WHERE b.active AND m.id = b.id)",
                                                 new_status);

const std::string audit_rows_sql = fmt::format(R"(SELECT $1::uuid, $2::text, 'moderation.' || b.decision, 'moderation_item', b.id::text,
       jsonb_build_object('item', b.item_before, 'subject', b.subject_before),
       jsonb_build_object('status', {}, 'subject_type', b.subject_type, 'subject_id', b.subject_id,
                          'subject', CASE WHEN b.subject_after IS NULL THEN NULL ELSE b.subject_after || b.detail END),
       b.reason
  FROM moderate_decisions b WHERE b.active ORDER BY b.line)",
                                               new_status);

const std::string outcome_sql = fmt::format(R"(SELECT b.line, b.id::text AS id, b.decision, {} AS status, b.subject_type,
       b.subject_id::text AS subject_id, b.subject_after->>'status' AS subject_status,
       coalesce((b.detail->>'coins')::bigint, 0) AS coins
  FROM moderate_decisions b WHERE b.active ORDER BY b.line)",
                                            new_status);

const Decision all_decisions[] = {Decision::approve, Decision::reject,  Decision::escalate, Decision::dismiss,
                                   Decision::warn,    Decision::suspend, Decision::correct};

}  // namespace

std::string_view decision_name(Decision d) {
    switch (d) {
        case Decision::approve: return "approve";
        case Decision::reject: return "reject";
        case Decision::escalate: return "escalate";
        case Decision::dismiss: return "dismiss";
        case Decision::warn: return "warn";
        case Decision::suspend: return "suspend";
        case Decision::correct: return "correct";
    }
    return "?";
}

std::optional<Decision> parse_decision(std::string_view name) {
    for (Decision d : all_decisions)
        if (decision_name(d) == name) return d;
    return std::nullopt;
}

std::string_view decision_subjects(Decision d) {
    switch (d) {
        case Decision::dismiss: return "a reported user or charger";
        case Decision::warn:
        case Decision::suspend: return "a reported user";
        case Decision::correct: return "a charger";
        default: return "any item";
    }
}

DecisionBatch::DecisionBatch(pg::Transaction& tx, const rulebook::Actor& actor, const std::vector<DecisionRow>& rows,
                             Millis suspend_for)
    : tx_(tx), actor_(actor), suspend_for_(suspend_for) {
    tx_.exec(create_sql);
    auto copy = tx_.copy_in("moderate_decisions", {"line", "id", "decision", "reason", "latitude", "longitude", "address"});
    auto text = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string(); };
    for (const auto& r : rows) {
        std::string line = std::to_string(r.line);
        std::string decision(decision_name(r.decision));
        const Correction& c = r.correction;
        std::string lat = text(c.latitude), lon = text(c.longitude), address = text(c.address);
        copy.row({line.c_str(), r.id.c_str(), decision.c_str(), r.reason.c_str(), c.latitude ? lat.c_str() : nullptr,
                  c.longitude ? lon.c_str() : nullptr, c.address ? address.c_str() : nullptr});
    }
    copy.finish();
    if (rows.size() > 1000) tx_.exec("ANALYZE moderate_decisions");
}

std::vector<Problem> DecisionBatch::lock_and_check() {
    tx_.exec(lock_sql);
    tx_.exec(fill_sql);
    std::vector<Problem> out;
    for (auto row : tx_.exec(problems_sql, pg::params(actor_.id, actor_.role))) {
        Problem p;
        p.line = static_cast<std::size_t>(row.integer("line"));
        p.id = row.str("id");
        std::string what = row.str("problem");
        if (what == "unknown") {
            p.code = Exit::data;
            p.message = fmt::format("no moderation item '{}'", p.id);
        } else if (what == "wrong_subject") {
            auto d = *parse_decision(row.str("decision"));
            p.code = Exit::usage;
            p.message = fmt::format("moderate {} applies to {}, and item {} is about a {} (approve, reject and escalate apply to any item)",
                                    decision_name(d), decision_subjects(d), p.id, row.str("subject_type"));
        } else if (what == "pending_charger") {
            // Closing a new submission's item without approving it would leave the charger pending for good.
            p.code = Exit::usage;
            p.message = fmt::format("item {} is about a new charger still pending: approve or reject it (a correction can follow)", p.id);
        } else if (what == "decided") {
            p.code = Exit::temp_fail;
            p.message = fmt::format("item {} is already decided by {} at {} ({})", p.id, row.str("decided_by"), row.str("decided_at"),
                                    row.str("status"));
        } else if (what == "escalated") {
            p.code = Exit::temp_fail;
            p.message = fmt::format("item {} is already escalated by {} at {}", p.id, row.str("decided_by"), row.str("decided_at"));
        } else if (what == "needs_admin") {
            p.code = Exit::no_perm;
            p.message = fmt::format("item {} was escalated by {} at {}: only an admin may decide it, and {} is a {}", p.id,
                                    row.str("decided_by"), row.str("decided_at"), actor_.email, actor_.role);
        } else {
            p.code = Exit::temp_fail;
            p.message = fmt::format("item {} is claimed by {} until {}", p.id, row.str("claimed_by"), row.str("claimed_until"));
        }
        out.push_back(std::move(p));
    }
    return out;
}

void DecisionBatch::exclude(const std::vector<std::size_t>& lines) {
    if (lines.empty()) return;
    std::string list = "{";
    for (std::size_t i = 0; i < lines.size(); ++i) list += (i ? "," : "") + std::to_string(lines[i]);
    list += "}";
    tx_.exec("UPDATE moderate_decisions SET active = false WHERE line = ANY($1::bigint[])", pg::params(list));
}

void DecisionBatch::only(std::size_t line) {
    tx_.exec("UPDATE moderate_decisions SET active = (line = $1::bigint) WHERE active OR line = $1::bigint",
             pg::params(static_cast<long long>(line)));
}

void DecisionBatch::snapshot(pg::Transaction& tx, const char* column) {
    for (const auto& s : subject_tables)
        tx.exec(fmt::format("UPDATE moderate_decisions b SET {} = {} FROM {} x "
                             "WHERE b.active AND b.subject_type = '{}' AND x.id = b.subject_id",
                             column, s.state, s.table, s.type));
}

std::vector<Outcome> DecisionBatch::apply(pg::Transaction& tx, std::vector<std::string>& suspended_users) {
    snapshot(tx, "subject_before");
    for (const auto& paid : paid_subjects) tx.exec(reward_sql(paid));
    tx.exec(paid_trust_sql);
    for (const char* sql : subject_changes) tx.exec(sql);
    for (const char* field : profile_fields) tx.exec(fmt::format(apply_profile_sql, field));
    tx.exec(close_profile_sql);
    tx.exec(warn_sql);

    // Suspensions go through the one account mechanism (sessions revoked; the audit row is the
    // decision's own, so change_status writes none).
    auto to_suspend = tx.exec(
        "SELECT b.id::text AS id, b.subject_id::text AS user_id, b.decision, b.reason, (now() + $1::interval)::text AS until "
        "FROM moderate_decisions b JOIN users u ON u.id = b.subject_id "
        "WHERE b.active AND b.subject_type = 'user' AND b.decision IN ('reject', 'suspend') ORDER BY b.subject_id",
        pg::params(fmt::format("{} milliseconds", suspend_for_.count())));
    for (auto row : to_suspend) {
        user::StatusChange change;
        change.user_id = row.str("user_id");
        change.sanction = user::Sanction::suspend;
        change.until = row.str("until");
        change.reason = row.str("reason");
        change.action = "moderation." + row.str("decision");
        change.write_audit = false;
        auto changed = user::change_status(tx, actor_, change);
        tx.exec("UPDATE moderate_decisions SET detail = detail || jsonb_build_object('sessions_revoked', $2::bigint) "
                 "WHERE id = $1::uuid",
                 pg::params(row.str("id"), static_cast<long long>(changed.sessions_revoked)));
        suspended_users.push_back(change.user_id);
    }

    snapshot(tx, "subject_after");
    tx.exec(decide_items_sql, pg::params(actor_.id));
    audit::record_rows(tx, audit_rows_sql, pg::params(actor_.id, actor_.email));

    std::vector<Outcome> out;
    for (auto row : tx.exec(outcome_sql)) {
        Outcome o;
        o.line = static_cast<std::size_t>(row.integer("line"));
        o.id = row.str("id");
        o.decision = row.str("decision");
        o.status = row.str("status");
        o.subject_type = row.str("subject_type");
        o.subject_id = row.str("subject_id");
        o.subject_status = row.str("subject_status");
        o.coins = row.integer("coins");
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace spotctl::moderate
