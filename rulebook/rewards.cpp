#include "rulebook/rewards.hpp"

#include <fmt/format.h>

namespace spotctl::rulebook {

const Reward* find_reward(std::string_view action) {
    for (const auto& r : rewards)
        if (r.action == action) return &r;
    return nullptr;
}

const Reward* reward_for_subject(std::string_view subject_type) {
    for (const auto& r : rewards)
        if (r.subject_type == subject_type) return &r;
    return nullptr;
}

std::string reward_actions_sql() {
    std::string out;
    for (const auto& r : rewards) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", r.action);
    return out;
}

std::string reward_amount_sql(std::string_view action_column) {
    std::string out = fmt::format("CASE {}", action_column);
    for (const auto& r : rewards) out += fmt::format(" WHEN '{}' THEN {}", r.action, r.coins);
    return out + " END";
}

std::string reward_subject_sql(std::string_view metadata_column) {
    return fmt::format("({} ->> '{}')", metadata_column, reward_subject_key);
}

std::string reward_metadata_sql(std::string_view id_expression) {
    return fmt::format("jsonb_build_object('{}', {})", reward_subject_key, id_expression);
}

}  // namespace spotctl::rulebook
