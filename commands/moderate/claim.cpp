// moderate claim and moderate release: a claim is a lease on an item (claimed_until); once it
// passes, the item is open again. --next takes the oldest open item with FOR UPDATE SKIP LOCKED,
// so staff claiming at the same time never wait for each other nor take the same item.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/moderate/moderate.hpp"
#include "core/audit.hpp"
#include "core/log.hpp"
#include "core/id_prefix.hpp"
#include "rulebook/actor.hpp"
#include "rulebook/id_kinds.hpp"

namespace spotctl::moderate {
namespace {

constexpr const char* utc = R"('YYYY-MM-DD"T"HH24:MI:SS"Z"')";

// $1 subject type or NULL, $2 the actor, $3 the lease. First an expired claim, then the oldest
// open item; `prev` keeps the state before, for the audit row.
// `where` and `order` pick the candidate; the lease and the RETURNING are the same.
std::string claim_sql(const char* where, const char* order) {
    return fmt::format(R"(WITH prev AS (
    SELECT id, status, claimed_by, claimed_until FROM moderation_items
     WHERE {1} AND ($1::text IS NULL OR subject_type = $1)
     ORDER BY {2} LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE moderation_items m SET status = 'claimed', claimed_by = $2::uuid, claimed_until = now() + $3::interval
  FROM prev WHERE m.id = prev.id
RETURNING m.id::text AS id, m.subject_type, m.subject_id::text AS subject_id, m.reason,
          to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) AS claimed_until,
          to_char(m.created_at AT TIME ZONE 'UTC', {0}) AS created_at,
          jsonb_build_object('status', prev.status, 'claimed_by', prev.claimed_by, 'claimed_until', prev.claimed_until)::text AS before)",
                       utc, where, order);
}
const std::string claim_expired_sql = claim_sql("status = 'claimed' AND claimed_until <= now()", "claimed_until");
const std::string claim_open_sql = claim_sql("status = 'open'", "created_at");

// One item by id, locked, with what a message needs.
const std::string item_sql = fmt::format(R"(SELECT m.status, m.claimed_by::text AS claimed_by_id,
       coalesce(c.email::text, m.claimed_by::text) AS claimed_by, m.claimed_until > now() AS live,
       to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) AS claimed_until,
       coalesce(d.email::text, m.decided_by::text) AS decided_by, to_char(m.decided_at AT TIME ZONE 'UTC', {0}) AS decided_at,
       jsonb_build_object('status', m.status, 'claimed_by', m.claimed_by, 'claimed_until', m.claimed_until)::text AS before
  FROM moderation_items m LEFT JOIN users c ON c.id = m.claimed_by LEFT JOIN users d ON d.id = m.decided_by
 WHERE m.id = $1::uuid FOR UPDATE OF m)",
                                         utc);

const std::string claim_one_sql = fmt::format(R"(UPDATE moderation_items m
   SET status = 'claimed', claimed_by = $2::uuid, claimed_until = now() + $3::interval WHERE m.id = $1::uuid
RETURNING m.id::text AS id, m.subject_type, m.subject_id::text AS subject_id, m.reason,
          to_char(m.claimed_until AT TIME ZONE 'UTC', {0}) AS claimed_until,
          to_char(m.created_at AT TIME ZONE 'UTC', {0}) AS created_at)",
                                              utc);

std::string interval(Millis d) { return fmt::format("{} milliseconds", d.count()); }

void record(pg::Transaction& tx, const rulebook::Actor& a, const char* action, const std::string& id, const std::string& before,
            const nlohmann::json& after) {
    audit::Entry e = rulebook::audit_entry(a, action, "moderation_item", id, "");
    e.before = before;
    e.after = after.dump();
    audit::record(tx, e);
}

Claimed claimed_from(const pg::Row& r) {
    return {r.str("id"), r.str("subject_type"), r.str("subject_id"), r.str("reason"), r.str("claimed_until"), r.str("created_at")};
}

}  // namespace

std::optional<Claimed> claim_item(pg::Connection& db, const ClaimOptions& options) {
    ClaimOptions o = options;
    auto tx = db.begin();
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "moderate claim");
    std::optional<Claimed> out;
    std::string before;
    if (!o.id.empty()) {
        o.id = resolve_id(tx, rulebook::moderation_item_ids, o.id, "id");
        auto cur = tx.exec(item_sql, pg::params(o.id));
        if (cur.empty()) throw Error(Exit::data, fmt::format("no moderation item '{}'", o.id));
        auto r = cur[0];
        std::string status = r.str("status");
        if (status == "approved" || status == "rejected")
            throw Error(Exit::temp_fail, fmt::format("item {} is already decided by {} at {} ({})", o.id, r.str("decided_by"),
                                                     r.str("decided_at"), status));
        if (status == "escalated")
            throw Error(Exit::data, fmt::format("item {} was escalated by {} at {}: escalated items are decided by an admin, "
                                                "not claimed", o.id, r.str("decided_by"), r.str("decided_at")));
        if (status == "claimed" && r.boolean("live") && r.str("claimed_by_id") != a.id)
            throw Error(Exit::temp_fail, fmt::format("item {} is claimed by {} until {}", o.id, r.str("claimed_by"), r.str("claimed_until")));
        before = r.str("before");
        out = claimed_from(tx.exec(claim_one_sql, pg::params(o.id, a.id, interval(o.claim_for)))[0]);
    } else {
        pg::Value type = o.type.empty() ? std::nullopt : pg::Value(o.type);
        auto r = tx.exec(claim_expired_sql, pg::params(type, a.id, interval(o.claim_for)));
        if (r.empty()) r = tx.exec(claim_open_sql, pg::params(type, a.id, interval(o.claim_for)));
        if (r.empty()) return std::nullopt;
        before = r[0].str("before");
        out = claimed_from(r[0]);
    }
    record(tx, a, "moderation.claim", out->id, before,
           {{"status", "claimed"}, {"claimed_by", a.id}, {"claimed_until", out->claimed_until}});
    tx.commit();
    return out;
}

int claim(Context& ctx, const ClaimOptions& o) {
    using exporters::CellType;
    if (o.id.empty() && !o.next) throw Error(Exit::usage, "give an item ID or --next");
    if (!o.id.empty() && o.next) {
        // `--claim-for 2 hours` leaves "hours" as the item id: say what the word was taken for.
        if (!looks_like_id_or_prefix(o.id))
            throw Error(Exit::usage, fmt::format("unexpected argument '{}': with --next no item id is taken", o.id),
                        "a duration is one word, such as --claim-for 2h");
        throw Error(Exit::usage, "give an item ID or --next, not both");
    }
    auto& db = ctx.db();
    std::vector<Claimed> claimed;
    long count = o.id.empty() ? std::max(1L, o.count) : 1;
    for (long i = 0; i < count; ++i) {
        auto c = claim_item(db, o);
        if (!c) break;
        claimed.push_back(std::move(*c));
    }
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"subject_type"}, {"subject_id"}, {"reason"}, {"claimed_until", CellType::timestamp},
                   {"created_at", CellType::timestamp}});
    for (const auto& c : claimed) writer->row({c.id, c.subject_type, c.subject_id, c.reason, c.claimed_until, c.created_at});
    writer->end();
    if (claimed.empty() && !ctx.options().quiet)
        log::status("nothing to claim: no open item{}", o.type.empty() ? "" : " of type " + o.type);
    // A person who claimed one item reads it next: show it, as `moderate show` does.
    if (claimed.size() == 1 && ctx.format() == exporters::Format::table) {
        ctx.out() << '\n';
        write_item(ctx, claimed[0].id);
    }
    return 0;
}

std::string release_item(pg::Connection& db, const std::string& email, const std::string& id_text) {
    auto tx = db.begin();
    auto a = rulebook::require_actor(tx, email, rulebook::Level::moderator, "moderate release");
    std::string id = resolve_id(tx, rulebook::moderation_item_ids, id_text, "id");
    auto cur = tx.exec(item_sql, pg::params(id));
    if (cur.empty()) throw Error(Exit::data, fmt::format("no moderation item '{}'", id));
    auto r = cur[0];
    if (r.str("status") != "claimed") throw Error(Exit::data, fmt::format("item {} is not claimed (it is {})", id, r.str("status")));
    if (r.str("claimed_by_id") != a.id && r.boolean("live") && a.role != "admin")
        throw Error(Exit::no_perm, fmt::format("item {} is claimed by {} until {}: only they or an admin may release it", id,
                                               r.str("claimed_by"), r.str("claimed_until")));
    tx.exec("UPDATE moderation_items SET status = 'open', claimed_by = NULL, claimed_until = NULL WHERE id = $1::uuid", pg::params(id));
    record(tx, a, "moderation.release", id, r.str("before"), {{"status", "open"}, {"claimed_by", nullptr}, {"claimed_until", nullptr}});
    tx.commit();
    return id;
}

int release(Context& ctx, const std::string& email, const std::string& id_text) {
    std::string id = release_item(ctx.db(), email, id_text);
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"status"}});
    writer->row({id, std::string("open")});
    writer->end();
    return 0;
}

}  // namespace spotctl::moderate
