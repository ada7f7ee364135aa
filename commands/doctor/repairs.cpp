#include "commands/doctor/repairs.hpp"

#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "commands/cache/key_remover.hpp"
#include "commands/cache/nodes.hpp"
#include "commands/doctor/cache_findings.hpp"
#include "commands/doctor/data_sql.hpp"
#include "commands/doctor/ledger_sql.hpp"
#include "commands/doctor/schema_sql.hpp"
#include "core/audit.hpp"
#include "rulebook/actor.hpp"
#include "rulebook/derived_scores.hpp"

namespace spotctl::doctor {
namespace {

rulebook::Actor actor_in(pg::Transaction& tx, const RepairRun& r) {
    return rulebook::require_actor(tx, r.options.actor_email, rulebook::Level::admin, "doctor --repair");
}

std::string reason(const RepairRun& r) { return fmt::format("spotctl doctor --repair {}", r.options.check); }

// One audit row for a batch: the check as subject, what changed as `after`.
void audit_batch(pg::Transaction& tx, const RepairRun& r, const rulebook::Actor& actor, const nlohmann::json& after) {
    audit::Entry e = rulebook::audit_entry(actor, "doctor.repair", "doctor_check", r.options.check, reason(r));
    e.after = after.dump();
    audit::record(tx, e);
}

std::vector<std::string> ids_of(const pg::Result& result) {
    std::vector<std::string> out;
    for (const auto& row : result) out.push_back(row.str("id"));
    return out;
}

// Finds a batch with `found_sql`, changes it with `apply_sql` ($1: the ids as a JSON array,
// returning the ids it changed), audits it, commits; until nothing is found. A batch whose rows
// the statement no longer changes ends the run: those rows are left for a person.
RepairFunction sql_repair(std::string found_sql, std::string apply_sql) {
    return [found_sql = std::move(found_sql), apply_sql = std::move(apply_sql)](RepairRun& r) {
        Repaired out;
        const std::string batch_sql = fmt::format("SELECT id FROM ({}) f ORDER BY id LIMIT $1", found_sql);
        for (;;) {
            auto tx = r.db.begin();
            auto actor = actor_in(tx, r);
            auto ids = ids_of(tx.exec(batch_sql, pg::params(r.options.batch_size)));
            if (ids.empty()) break;
            auto changed = ids_of(tx.exec(apply_sql, pg::params(nlohmann::json(ids).dump())));
            if (changed.empty()) {
                out.left = ids;
                break;
            }
            audit_batch(tx, r, actor, {{"ids", changed}, {"rows", changed.size()}});
            tx.commit();
            out.rows += changed.size();
            ++out.batches;
        }
        return out;
    };
}

// The ledger: a reconciliation row per user whose balance is not their ledger sum (see
// ledger_sql.hpp). The apply trigger would add the amount to coin_balance as well, which is
// exactly what must not move, so the row goes in with triggers off for this transaction
// (session_replication_role; the user rows are locked first, as the trigger would).
Repaired reconcile_ledger(RepairRun& r) {
    Repaired out;
    const std::string batch_sql = fmt::format("SELECT id FROM ({}) f ORDER BY id LIMIT $1", ledger::balance_mismatch_sql);
    const std::string insert_sql = fmt::format(R"(
INSERT INTO coin_transactions (user_id, action, amount, balance_after, description, metadata)
SELECT u.id, 'adjustment', u.coin_balance - l.total, u.coin_balance, 'ledger reconciliation by spotctl doctor',
       jsonb_build_object('{0}', true, 'coin_balance', u.coin_balance, 'ledger_sum', l.total,
                          'compensates', coalesce(b.ids, '[]'::jsonb))
  FROM users u
 CROSS JOIN LATERAL (SELECT coalesce(sum(t.amount), 0) AS total FROM coin_transactions t WHERE t.user_id = u.id) l
  LEFT JOIN LATERAL (SELECT jsonb_agg(x.id ORDER BY x.id) AS ids FROM ({1}) x
                      WHERE x.user_id = u.id AND x.checked AND (x.balance_after <> x.running OR x.running < 0)) b ON true
 WHERE u.id::text IN {2} AND u.coin_balance <> l.total
RETURNING id, user_id::text AS user_id, amount, metadata->'compensates' AS compensates)",
                                               ledger::reconciliation_key, ledger::running_sql, data::batch_ids);
    for (;;) {
        auto tx = r.db.begin();
        auto actor = actor_in(tx, r);
        auto ids = ids_of(tx.exec(batch_sql, pg::params(r.options.batch_size)));
        if (ids.empty()) break;
        const std::string batch = nlohmann::json(ids).dump();
        tx.exec(fmt::format("SELECT 1 FROM users WHERE id::text IN {} ORDER BY id FOR UPDATE", data::batch_ids), pg::params(batch));
        try {
            tx.exec("SET LOCAL session_replication_role = replica");
        } catch (const pg::DbError& e) {
            throw Error(e.code(), fmt::format("cannot append a reconciliation without the ledger trigger: {}", e.what()),
                        "run the ledger repair as a superuser, or GRANT SET ON PARAMETER session_replication_role TO the role");
        }
        auto rows = tx.exec(insert_sql, pg::params(batch));
        tx.exec("SET LOCAL session_replication_role = origin");
        for (const auto& row : rows) {
            audit::Entry e = rulebook::audit_entry(actor, "doctor.repair.ledger", "user", row.str("user_id"), reason(r));
            e.after = nlohmann::json{{"coin_transaction_id", row.integer("id")},
                                     {"amount", row.integer("amount")},
                                     {"compensates", nlohmann::json::parse(row.str("compensates"))}}
                          .dump();
            audit::record(tx, e);
        }
        if (rows.empty()) {
            out.left = ids;
            break;
        }
        tx.commit();
        out.rows += rows.size();
        ++out.batches;
    }
    out.note = "users whose balance equals their ledger sum while a row's balance_after is wrong are left for a person";
    return out;
}

// Later payments of an already paid subject are reversed (through the ledger trigger, so the
// balance follows); the users' trust is recomputed in the same transaction, since a duplicate
// counted as a contribution. A reversal the balance cannot cover is left for a person.
Repaired reverse_duplicates(RepairRun& r) {
    Repaired out;
    const std::string batch_sql = fmt::format("SELECT id FROM ({}) f ORDER BY id::bigint LIMIT $1", data::reward_duplicates_sql());
    std::vector<std::string> refused;
    for (;;) {
        auto tx = r.db.begin();
        auto actor = actor_in(tx, r);
        std::vector<std::string> todo;
        for (auto& id : ids_of(tx.exec(batch_sql, pg::params(r.options.batch_size + static_cast<long>(refused.size())))))
            if (std::find(refused.begin(), refused.end(), id) == refused.end()) todo.push_back(id);
        if (todo.empty()) break;
        std::vector<std::string> reversed, users;
        for (const auto& id : todo) {
            auto sp = tx.savepoint();
            try {
                auto row = sp.exec(R"(INSERT INTO coin_transactions (user_id, action, amount, reverses_id, balance_after, description, metadata)
SELECT user_id, 'reversal', -amount, id, 0, 'duplicate reward reversed by spotctl doctor', jsonb_build_object('doctor_repair', 'reward_duplicates')
  FROM coin_transactions WHERE id = $1::bigint RETURNING user_id::text AS user_id)",
                                   pg::params(id));
                sp.commit();
                reversed.push_back(id);
                users.push_back(row[0].str("user_id"));
            } catch (const pg::DbError& e) {
                if (e.code() != Exit::data) throw;  // only a balance that cannot cover it is left
                refused.push_back(id);
            }
        }
        if (!users.empty())
            tx.exec(rulebook::recompute_trust_sql(fmt::format("SELECT b::uuid FROM {} AS q(b)", data::batch_ids)),
                    pg::params(nlohmann::json(users).dump()));
        if (!reversed.empty()) audit_batch(tx, r, actor, {{"reversed_ids", reversed}, {"rows", reversed.size()}});
        tx.commit();
        out.rows += reversed.size();
        if (!reversed.empty()) ++out.batches;
    }
    out.left = refused;
    return out;
}

// Redis keys: unlinked in batches, each batch audited in PostgreSQL (the audit row is written
// first and committed after the keys are gone, so a failed UNLINK leaves no claim behind).
RepairFunction key_repair(cache_keys::Found (*find)(Environment&)) {
    return [find](RepairRun& r) {
        Options plain;
        plain.at = r.options.at;
        Environment env{r.ctx, r.db, r.db, plain};
        auto found = find(env);
        auto nodes = spotctl::cache::Nodes::connect(r.ctx);
        Repaired out;
        const auto size = static_cast<std::size_t>(r.options.batch_size);
        for (std::size_t at = 0; at < found.keys.size(); at += size) {
            std::vector<std::string> batch(found.keys.begin() + static_cast<long>(at),
                                           found.keys.begin() + static_cast<long>(std::min(found.keys.size(), at + size)));
            auto tx = r.db.begin();
            auto actor = actor_in(tx, r);
            spotctl::cache::KeyRemover remover(nodes.cluster(), true);
            spotctl::cache::run_on_keys(nodes, batch, remover);
            audit_batch(tx, r, actor, {{"keys", batch}, {"removed", remover.removed()}});
            tx.commit();
            out.rows += remover.removed();
            ++out.batches;
        }
        out.note = found.note;
        return out;
    };
}

// One index per batch: DROP INDEX CONCURRENTLY cannot run in a transaction, so the actor is
// checked first and the audit row committed right after the drop.
Repaired drop_invalid_indexes(RepairRun& r) {
    Repaired out;
    for (const auto& name : ids_of(r.db.exec(schema::invalid_indexes_sql))) {
        {
            auto tx = r.db.begin();
            actor_in(tx, r);
        }
        r.db.exec(fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}", name));  // quoted by the query (format %I)
        auto tx = r.db.begin();
        audit_batch(tx, r, actor_in(tx, r), {{"dropped_index", name}});
        tx.commit();
        ++out.rows;
        ++out.batches;
    }
    out.note = "create each index again as its migration says (spotctl doctor --check schema_drift names what is missing)";
    return out;
}

}  // namespace

const RepairFunction* find_repair(const std::string& check) {
    static const std::map<std::string, RepairFunction> repairs = {
        {"ledger_balance", reconcile_ledger},
        {"ledger_chain", reconcile_ledger},
        {"reward_duplicates", reverse_duplicates},
        {"verification_levels", sql_repair(data::verification_level_sql(), data::verification_level_repair_sql())},
        {"trust_scores", sql_repair(data::trust_score_sql(), data::trust_score_repair_sql())},
        {"expired_suspensions", sql_repair(data::expired_suspensions_sql(), data::expired_suspensions_repair_sql())},
        {"stale_claims", sql_repair(data::stale_claims_sql(), data::stale_claims_repair_sql())},
        {"dead_sessions", key_repair(cache_keys::dead_sessions)},
        {"keys_without_ttl", key_repair(cache_keys::without_ttl)},
        {"stale_charger_cache", key_repair(cache_keys::stale_chargers)},
        {"invalid_indexes", drop_invalid_indexes},
    };
    auto it = repairs.find(check);
    return it == repairs.end() ? nullptr : &it->second;
}

}  // namespace spotctl::doctor
