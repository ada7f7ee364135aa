#include "commands/rules/rules.hpp"

#include <fmt/format.h>

#include "rulebook/cache_keys.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/lifetimes.hpp"
#include "rulebook/rewards.hpp"
#include "rulebook/roles.hpp"

namespace spotctl::rules {

int show(Context& ctx) {
    using namespace rulebook;
    auto writer = ctx.writer();
    writer->begin({{"rule"}, {"name"}, {"value"}, {"meaning"}});
    for (const auto& r : rewards)
        writer->row({"reward", std::string(r.action), std::to_string(r.coins),
                     fmt::format("paid {}, to {}.{}; metadata.{} names the {} row, paid at most once", r.paid_when, r.subject_table,
                                 r.beneficiary_column, reward_subject_key, r.subject_table)});
    writer->row({"redeem", std::string(redeem_action), std::to_string(-redeem_coupon_coins), "one charging coupon"});
    writer->row({"derived", "trust_score", trust_score_sql("chargers_added", "verifications", "photos_uploaded"),
                 fmt::format("counts of the user's {}, {} and {} rewards that no reversal undid", add_charger.action,
                             verify_charger.action, upload_photo.action)});
    std::string accepted;
    for (auto s : accepted_reports) accepted += fmt::format("{}{}", accepted.empty() ? "" : "/", s);
    writer->row({"derived", "verification_level", verification_level_sql("accepted"),
                 fmt::format("accepted: {} reports by a reporter who is not banned, in the {} up to the charger's latest verification",
                             accepted, duration_text(verification_window))});
    writer->row({"lifetime", "session", duration_text(session_lifetime),
                 "user_sessions.expires_at is at most this after created_at (the servers' SESSION_EXPIRY_DAYS)"});
    writer->row({"lifetime", "claim_lease", duration_text(claim_lease), "a moderation claim, unless moderate claim --claim-for says otherwise"});
    writer->row({"lifetime", "undo_window", duration_text(undo_window),
                 "a moderator may take back their own decision this long after it (moderate undo, u in moderate tui)"});
    const Registry registry = Registry::builtin();
    for (const auto& ns : registry.namespaces())
        writer->row({"cache_ttl", ns.name(), ns.ttl() ? duration_text(*ns.ttl()) : "none",
                     fmt::format("keys {}{}", ns.pattern(), ns.ttl() ? "" : " (each key carries its own expiry)")});
    writer->row({"role", "moderator", "moderator, admin", "moderate, user suspend/restore/export, fraud review, fraud ip block"});
    writer->row({"role", "admin", "admin", "user ban, user erase, and any sanction of a staff account"});
    writer->end();
    return 0;
}

}  // namespace spotctl::rules
