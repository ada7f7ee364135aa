#pragma once
// `spotctl coins`: one user's coin wallet. show reads the ledger (coin_transactions) with a
// running balance; adjust and redeem write one ledger row through the ledger trigger (which
// keeps users.coin_balance) and one audit row, in one transaction, on a staff member's behalf.
// Neither may take the balance below zero: refused (65) before anything is written.
#include <optional>
#include <string>

#include "core/context.hpp"

namespace spotctl::coins {

struct ShowOptions {
    std::string ref;  // e-mail, id or unique id prefix
    long limit = 0;   // the latest N rows only (0: all); the running balance still counts every row
};
int show(Context& ctx, const ShowOptions& options);

struct AdjustOptions {
    std::string actor;
    std::string ref;
    long long amount = 0;  // coins, either sign, not 0
    std::string reason;
};
int adjust(Context& ctx, const AdjustOptions& options);

// A redemption as the platform's servers write it: action "redeem", amount -AMOUNT, metadata
// {"coupon_id"}, description "Redeemed N coins for coupon C". AMOUNT is a whole number of
// coupons (rulebook::redeem_coupon_coins each).
struct RedeemOptions {
    std::string actor;
    std::string ref;
    long long amount = 0;
    std::string coupon;  // the coupon's id; empty: none recorded
};
int redeem(Context& ctx, const RedeemOptions& options);

}  // namespace spotctl::coins
