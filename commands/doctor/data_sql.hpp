#pragma once
// The SQL of the data checks whose repairs recompute or sweep: each check's query (column `id`,
// text) and the statement its repair runs for one batch of those ids ($1: a JSON array of ids).
// Rule values come from the rulebook's SQL builders, never restated here.
#include <string>
#include <string_view>

namespace spotctl::doctor::data {

// The text expression as a uuid, or NULL when it is none (a cast would fail the whole check),
// so that a lookup by primary key can use its index.
std::string uuid_or_null(std::string_view text);

std::string reward_orphans_sql();
std::string reward_duplicates_sql();
std::string verification_level_sql();
std::string verification_level_repair_sql();
std::string trust_score_sql();
std::string trust_score_repair_sql();
std::string expired_suspensions_sql();
std::string expired_suspensions_repair_sql();
std::string stale_claims_sql();
std::string stale_claims_repair_sql();

// The time the checks judge by: --at when given (a data set with a clock of its own, such as the
// demo's), else now(). Doctor sets it per connection with set_at().
inline constexpr const char* now_sql = "coalesce(nullif(current_setting('spotctl.doctor_at', true), '')::timestamptz, now())";

// "(SELECT jsonb_array_elements_text($1::jsonb))": the batch's ids in a repair statement.
inline constexpr const char* batch_ids = "(SELECT jsonb_array_elements_text($1::jsonb))";

}  // namespace spotctl::doctor::data
