#pragma once
// The platform's tables whose ids people type (core/id_prefix.hpp resolves a prefix of one).
#include "core/id_prefix.hpp"

namespace spotctl::rulebook {

inline constexpr IdKind moderation_item_ids{"moderation_items", "moderation item", "list them with `spotctl moderate queue`"};
inline constexpr IdKind user_ids{"users", "user", "find the account by its e-mail instead"};

}  // namespace spotctl::rulebook
