#pragma once
// The platform's coin rewards (the servers' RewardConstants): what each contribution earns, when
// it is paid, and how a payment names its subject so that no subject is paid twice. `seed
// generate` writes its ledger with them, the demo ledger (seeds/coin_transactions.csv) follows
// them, `moderate approve` pays them, `fraud review --action reverse-coins` takes them back and
// `spotctl rules` prints them.
#include <array>
#include <string>
#include <string_view>

namespace spotctl::rulebook {

// One reward: a coin_transactions row with `action`, `coins` and metadata
// {"subject_id": <the rewarded row's id>} (see reward_subject_key), credited to the row's
// `beneficiary_column`.
struct Reward {
    std::string_view action;              // coin_transactions.action
    long coins;                           // coin_transactions.amount
    std::string_view subject_type;        // as in moderation_items.subject_type ("verification" has no queue)
    std::string_view subject_table;       // the table of the rewarded row
    std::string_view beneficiary_column;  // the column of that row naming the user paid
    std::string_view paid_when;           // when the platform pays it
};

inline constexpr Reward add_charger{"add_charger", 50, "charger", "chargers", "added_by",
                                    "when a moderator approves the charger (pending to active); imported chargers earn nothing"};
inline constexpr Reward verify_charger{"verify_charger", 5, "verification", "charger_verifications", "user_id",
                                       "when the verification is recorded"};
inline constexpr Reward upload_photo{"upload_photo", 10, "photo", "charger_photos", "uploader_id",
                                     "when a moderator approves the photo"};
// 10, not 5: the demo ledger and seeds/README.md pay 10, and core/coin_rules.hpp's 5 was the
// one value that disagreed (issue 17).
inline constexpr Reward review{"review", 10, "review", "charger_reviews", "user_id",
                               "when the review is published (at posting, or at a moderator's approval)"};

inline constexpr std::array<Reward, 4> rewards{add_charger, verify_charger, upload_photo, review};

// The metadata field of a reward row that names the rewarded row's id: the generator, the demo
// ledger and moderate's duplicate check all use it, and a subject is paid at most once per action.
inline constexpr std::string_view reward_subject_key = "subject_id";

// A redeem row: one charging coupon costs this many coins (amount -redeem_coupon_coins).
inline constexpr std::string_view redeem_action = "redeem";
inline constexpr long redeem_coupon_coins = 100;

// The reward for `action`, or nullptr when the action is not a reward (redeem, adjustment, reversal).
const Reward* find_reward(std::string_view action);
// The reward for a moderation subject type ("charger", "photo", "review"), or nullptr.
const Reward* reward_for_subject(std::string_view subject_type);

// ---- SQL text built from the same constants (no value restated in SQL) ----------------------

// "'add_charger', 'verify_charger', 'upload_photo', 'review'": for `action IN (...)`.
std::string reward_actions_sql();
// "CASE <action_column> WHEN 'add_charger' THEN 50 ... END": a reward row's due amount (NULL for
// an action that is no reward).
std::string reward_amount_sql(std::string_view action_column);
// "(<metadata_column> ->> 'subject_id')": the rewarded subject's id of a ledger row, as text.
std::string reward_subject_sql(std::string_view metadata_column);
// "jsonb_build_object('subject_id', <id_expression>)": the metadata a new reward row carries.
std::string reward_metadata_sql(std::string_view id_expression);

}  // namespace spotctl::rulebook
