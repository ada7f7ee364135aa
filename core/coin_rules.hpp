#pragma once
// The platform's coin rewards (the servers' RewardConstants): what a contribution earns once it
// counts. `seed generate` writes its synthetic ledger with them, and `moderate approve` of a photo
// credits the uploader with coins_upload_photo. A reward is a coin_transactions row whose action
// names the contribution; the ledger trigger keeps users.coin_balance equal to the ledger sum.
namespace spotctl::coins {

constexpr long coins_add_charger = 50;   // action 'add_charger': a charger that became active
constexpr long coins_verify = 5;         // action 'verify_charger'
constexpr long coins_upload_photo = 10;  // action 'upload_photo': a photo that was approved
constexpr long coins_review = 5;         // action 'review': a published review
constexpr long redeem_amount = 100;      // action 'redeem': one charging coupon

}  // namespace spotctl::coins
