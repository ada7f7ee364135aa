#pragma once
// Values the platform derives from contributions instead of storing them as facts:
// users.trust_score and chargers.verification_level. Each rule is here twice from the same
// constants: as a C++ function, and as SQL text for set-based checks and repairs (doctor, the
// seed generator, moderate), so a value is never restated.
#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace spotctl::rulebook {

// ---- trust_score: the servers' GamificationService.calculate_trust_score --------------------

inline constexpr long trust_per_charger_added = 10;
inline constexpr long trust_per_verification = 2;
inline constexpr long trust_per_photo_uploaded = 3;
inline constexpr long trust_cap = 100;

// A user's counted contributions: those whose reward was paid and not reversed (the ledger is the
// record of what counted), by reward action add_charger, verify_charger and upload_photo.
struct Contributions {
    long chargers_added = 0;
    long verifications = 0;
    long photos_uploaded = 0;
};

constexpr long trust_score(const Contributions& c) {
    return std::min(trust_cap, c.chargers_added * trust_per_charger_added + c.verifications * trust_per_verification +
                                   c.photos_uploaded * trust_per_photo_uploaded);
}

// "LEAST(100, (<chargers_added>) * 10 + (<verifications>) * 2 + (<photos_uploaded>) * 3)".
std::string trust_score_sql(std::string_view chargers_added, std::string_view verifications, std::string_view photos_uploaded);

// A query with columns user_id, chargers_added, verifications, photos_uploaded and trust_score:
// one row per user with at least one counted contribution (everyone else's trust is 0).
std::string contributions_sql();

// An UPDATE that sets users.trust_score to the rule for the users `user_ids_sql` selects (a query
// with one uuid column, such as "SELECT $1::uuid"), touching only rows whose value differs.
std::string recompute_trust_sql(std::string_view user_ids_sql);

// ---- verification_level: 0 unverified, else 1 + accepted recent verifications / 2, capped at 5 --

// A verification is accepted when it reports the charger working and its reporter is not banned.
inline constexpr std::array<std::string_view, 2> accepted_reports{"available", "occupied"};
// Recent: within this window up to the charger's latest verification (when the app last
// recomputed the level), so the rule depends on the data alone, not on the day it is checked.
inline constexpr std::chrono::days verification_window{30};
inline constexpr long verification_level_max = 5;
inline constexpr long verifications_per_level = 2;

constexpr long verification_level(long accepted_recent) {
    return accepted_recent <= 0 ? 0 : std::min(verification_level_max, 1 + accepted_recent / verifications_per_level);
}

// "CASE WHEN (<n>) <= 0 THEN 0 ELSE LEAST(5, 1 + (<n>) / 2) END" for an integer count expression.
std::string verification_level_sql(std::string_view accepted_recent);

// A query with columns charger_id, accepted_recent and verification_level: one row per charger
// with at least one verification (everyone else's level is 0).
std::string verification_counts_sql();

}  // namespace spotctl::rulebook
