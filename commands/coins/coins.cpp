#include "commands/coins/coins.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/user/account_status.hpp"
#include "core/audit.hpp"
#include "core/errors.hpp"
#include "rulebook/actor.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::coins {
namespace {

// The window sum counts every row of the user (id order is balance order, 0003), and the limit
// then keeps the latest rows, shown oldest first.
constexpr const char* ledger_sql = R"SQL(
SELECT * FROM (
  SELECT t.id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, t.action, t.amount,
         sum(t.amount) OVER (ORDER BY t.id) AS running_balance, t.reverses_id, t.description
  FROM coin_transactions t WHERE t.user_id = $1::uuid
  ORDER BY t.id DESC LIMIT $2::bigint) latest
ORDER BY id)SQL";

// One ledger row on a staff member's behalf.
struct Posting {
    const char* command;       // "coins adjust"
    const char* audit_action;  // "coins.adjust"
    std::string actor;
    std::string ref;
    std::string action;        // coin_transactions.action
    long long amount = 0;
    std::string description;
    nlohmann::json metadata = nlohmann::json::object();
    std::string reason;
};

int post(Context& ctx, const Posting& p) {
    auto tx = ctx.db().begin();
    auto actor = rulebook::require_actor(tx, p.actor, rulebook::Level::moderator, p.command);
    std::string user_id = user::user_id_of(tx, p.ref, true);
    if (user_id == actor.id) throw Error(Exit::no_perm, fmt::format("{} may not {} their own coins", actor.email, p.command));
    auto found = tx.exec("SELECT coin_balance, status FROM users WHERE id = $1::uuid", pg::params(user_id));
    auto row = found[0];
    long long before = row.integer("coin_balance");
    if (row.str("status") == "deleted") throw Error(Exit::data, fmt::format("{}: user {} is deleted", p.command, p.ref));
    if (before + p.amount < 0)
        throw Error(Exit::data, fmt::format("{}: user {} has {} coins; {} would leave {}", p.command, p.ref, before, p.amount, before + p.amount),
                    "a balance never goes below zero");
    auto result = tx.exec(
        "INSERT INTO coin_transactions (user_id, action, amount, description, metadata) VALUES ($1::uuid, $2, $3::bigint, $4, $5::jsonb) "
        "RETURNING id, balance_after",
        pg::params(user_id, p.action, p.amount, p.description, p.metadata.dump()));
    auto inserted = result[0];
    long long after = inserted.integer("balance_after");
    audit::Entry e = rulebook::audit_entry(actor, p.audit_action, "user", user_id, p.reason);
    e.before = nlohmann::json{{"coin_balance", before}}.dump();
    e.after = nlohmann::json{{"coin_balance", after}, {"coin_transaction_id", inserted.integer("id")}}.dump();
    long long audit_id = audit::record(tx, e);
    tx.commit();
    using exporters::CellType;
    auto w = ctx.writer();
    w->begin({{"user_id"}, {"transaction_id", CellType::integer}, {"amount", CellType::integer}, {"balance_before", CellType::integer},
              {"balance_after", CellType::integer}, {"audit_id", CellType::integer}});
    w->row({user_id, inserted.str("id"), std::to_string(p.amount), std::to_string(before), std::to_string(after), std::to_string(audit_id)});
    w->end();
    return 0;
}

}  // namespace

int show(Context& ctx, const ShowOptions& o) {
    auto tx = ctx.db().begin(pg::Isolation::repeatable_read);
    std::string id = user::user_id_of(tx, o.ref, false);
    auto rows = tx.exec(ledger_sql, pg::params(id, o.limit > 0 ? pg::Value(std::to_string(o.limit)) : std::nullopt));
    tx.commit();
    using exporters::CellType;
    auto w = ctx.writer();
    w->begin({{"id", CellType::integer}, {"created_at", CellType::timestamp}, {"action"}, {"amount", CellType::integer},
              {"running_balance", CellType::integer}, {"reverses_id", CellType::integer}, {"description"}});
    for (auto r : rows)
        w->row({r.value("id"), r.value("created_at"), r.value("action"), r.value("amount"), r.value("running_balance"),
                r.value("reverses_id"), r.value("description")});
    w->end();
    return 0;
}

int adjust(Context& ctx, const AdjustOptions& o) {
    if (o.amount == 0) throw Error(Exit::usage, "coins adjust: AMOUNT must not be 0", "a credit is positive (50), a debit negative (-50)");
    if (o.reason.find_first_not_of(" \t") == std::string::npos) throw Error(Exit::usage, "coins adjust needs --reason");
    return post(ctx, {"coins adjust", "coins.adjust", o.actor, o.ref, "adjustment", o.amount, o.reason, nlohmann::json::object(), o.reason});
}

int redeem(Context& ctx, const RedeemOptions& o) {
    const long long coupon = rulebook::redeem_coupon_coins;
    if (o.amount <= 0 || o.amount % coupon != 0)
        throw Error(Exit::usage, fmt::format("coins redeem: AMOUNT {} is not a whole number of coupons", o.amount),
                    fmt::format("one charging coupon costs {} coins", coupon));
    // The description and metadata the platform servers write for a redemption.
    std::string description = o.coupon.empty() ? fmt::format("Redeemed {} coins for {} coupon(s)", o.amount, o.amount / coupon)
                                               : fmt::format("Redeemed {} coins for coupon {}", o.amount, o.coupon);
    nlohmann::json metadata{{"coupons", o.amount / coupon}};
    if (!o.coupon.empty()) metadata["coupon_id"] = o.coupon;
    return post(ctx, {"coins redeem", "coins.redeem", o.actor, o.ref, std::string(rulebook::redeem_action), -o.amount, description,
                      metadata, description});
}

}  // namespace spotctl::coins
