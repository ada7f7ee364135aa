#pragma once
// The table writers of `seed generate`, one per table, sharing the world and the planted fraud.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "commands/seed/planted_fraud.hpp"
#include "commands/seed/world.hpp"
#include "core/pg.hpp"

namespace spotctl::seed {

struct Gen {
    pg::Transaction& tx;
    const World& w;
    const Planted& planted;
    std::string ts(std::time_t t) const { return w.timestamp(t); }
};

// Contributions per charger, as pure functions: the tables and the coin ledger both use them.
struct Photo {
    std::string id;
    long uploader;
    std::time_t created;
    std::string status;
    std::optional<std::time_t> reviewed;
};
std::vector<Photo> photos_of(const World& w, long charger);

struct Review {
    std::string id;
    long user;
    int rating;
    std::time_t created;
    std::string status;
};
std::vector<Review> reviews_of(const World& w, long charger);

// users.trust_score of users [first, last) by the rulebook, from the rewards the ledger pays them
// (write_coin_transactions); users are taken trust_pass_size() at a time, so memory stays bounded.
std::vector<long> trust_scores(const Gen& g, long first, long last);
long trust_pass_size();

std::uint64_t write_users(Gen& g);
std::uint64_t write_user_sessions(Gen& g);
std::uint64_t write_chargers(Gen& g);
std::uint64_t write_charger_verifications(Gen& g);
std::uint64_t write_charger_photos(Gen& g);
std::uint64_t write_charger_reviews(Gen& g);
std::uint64_t write_coin_transactions(Gen& g);
std::uint64_t write_parking_lots(Gen& g);
std::uint64_t write_parking_slots(Gen& g);
std::uint64_t write_reservations(Gen& g);
std::uint64_t write_payments(Gen& g);
std::uint64_t write_notifications(Gen& g);
std::uint64_t write_profile_changes(Gen& g);
std::uint64_t write_moderation_items(Gen& g);
std::uint64_t write_ip_blacklist(Gen& g);
std::uint64_t write_login_attempts(Gen& g);
std::uint64_t write_truth(Gen& g);

}  // namespace spotctl::seed
