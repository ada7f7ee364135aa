#pragma once
// How long the platform's time-limited things last. Cache TTLs are in the cache key registry
// (rulebook/cache_keys.hpp); the verification window is in rulebook/derived_scores.hpp.
#include <chrono>
#include <string>

namespace spotctl::rulebook {

// A login session expires this long after it was created: the servers' SESSION_EXPIRY_DAYS.
// user_sessions.expires_at - created_at is never longer; the seed generator and the demo data
// use it.
inline constexpr std::chrono::days session_lifetime{7};

// A moderator's claim on a queue item (moderation_items.claimed_until = claim time + this) unless
// `moderate claim --claim-for` says otherwise; afterwards another moderator may take the item.
// docs/schema.md's claiming pattern uses it too.
inline constexpr std::chrono::minutes claim_lease{15};

// A moderator may take back their own decision this long after making it (`moderate undo`, `u`
// in `moderate tui`); later, a mistake is a new report.
inline constexpr std::chrono::seconds undo_window{60};

// "interval '7 days'", "interval '15 minutes'" or "interval 'N seconds'": a PostgreSQL interval
// literal for a duration, in the largest unit that divides it.
std::string interval_sql(std::chrono::seconds duration);
// "7 days", "15 minutes", "90 seconds": the same text, for messages and `spotctl rules`.
std::string duration_text(std::chrono::seconds duration);

}  // namespace spotctl::rulebook
