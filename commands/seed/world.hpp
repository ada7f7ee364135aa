#pragma once
// The synthetic platform as pure functions of (seed, scale, anchor): how many of everything,
// each entity's id and attributes, and which users play a part in a planted fraud pattern.
// Nothing is stored per row, so memory does not grow with the scale.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "commands/seed/rng.hpp"

namespace spotctl::seed {

// Durations in seconds, typed time_t so that `30 * day` is computed in time_t, not int.
inline constexpr std::time_t minute = 60, hour = 3600, day = 86400;

struct Place {
    const char* city;
    double lat;
    double lon;
    const char* country;
};

// Home cities (users, chargers, lots live here) and far cities (for travel patterns).
const std::vector<Place>& home_cities();
const std::vector<Place>& far_cities();

double distance_km(double lat1, double lon1, double lat2, double lon2);

// A part in a planted pattern; ordinary users have none.
enum class Part {
    none,
    brute_force_target, brute_force_near, brute_force_look,
    stuffing_victim,
    travel_fraud, travel_near, travel_look,
    velocity_burst, velocity_jump, velocity_near_count, velocity_near_speed, velocity_look,
    ring_member, ring_near_member, ring_look_friend,
    dealer_owner, dealer_puppet, dealer_reviewer, household_owner, household_member,
    card_sharer, card_near_sharer, card_retrier, refund_abuser, refund_near,
    blacklisted_user, blacklist_look_user,
};

struct Role {
    Part part = Part::none;
    long group = 0;   // which instance of the pattern
    int member = 0;   // position inside the group
};

class World {
public:
    World(std::uint64_t seed, int scale, std::time_t anchor);

    std::uint64_t seed() const { return seed_; }
    int scale() const { return scale_; }
    std::time_t anchor() const { return anchor_; }
    std::time_t window_start() const { return anchor_ - 90 * day; }

    // Sizes.
    long users() const { return 1000L * scale_; }
    long chargers() const { return 200L * scale_; }
    long lots() const { return std::max(3L, 3L * scale_); }
    int slots_per_lot() const { return 20; }
    long staff_admins() const { return 1 + scale_ / 20; }
    long staff_moderators() const { return 3 + scale_ / 5; }
    long staff_operators() const { return 2 + scale_ / 10; }
    long staff() const { return staff_admins() + staff_moderators() + staff_operators(); }
    // Planted patterns per kind: enough to measure a rule, capped so memory stays bounded.
    long instances() const { return std::clamp(2L * scale_, 3L, 200L); }

    // Ids: version-4-shaped UUIDs derived from (seed, kind, index).
    std::string uuid(std::string_view kind, std::uint64_t index) const;
    std::string user_id(long u) const { return uuid("user", static_cast<std::uint64_t>(u)); }
    std::string charger_id(long c) const { return uuid("charger", static_cast<std::uint64_t>(c)); }

    // Users.
    int user_city(long u) const;
    bool is_guest(long u) const;
    std::string user_role(long u) const;
    std::string user_email(long u) const;
    std::time_t user_created(long u) const;
    std::string user_home_ip(long u) const;    // where a user's logins come from (a household shares one)
    std::string user_mobile_ip(long u) const;
    std::string user_agent(long u) const;      // a user's device (a sock puppet shares its owner's)
    std::string card_fingerprint(long u, int card) const;
    const Role& role(long u) const;
    // The first user of a city's range, and how many it has.
    long city_first_user(int city) const;
    long city_user_count(int city) const;

    // Chargers.
    int charger_city(long c) const;
    struct Position {
        double lat;
        double lon;
    };
    Position charger_position(long c) const;
    long charger_adder(long c) const;  // -1: imported, no adder
    std::time_t charger_created(long c) const;
    std::string charger_status(long c) const;
    long city_first_charger(int city) const;
    long city_charger_count(int city) const;
    // Chargers of one plaza per city, a few hundred metres apart: where bursts of verifications are plausible.
    static constexpr int hub_size = 6;
    // Chargers added by a user of a fraud group (ring members, self-dealing owners): index range.
    long forced_first_charger() const { return chargers() - forced_chargers_; }

    // Users whose normal verifications are replaced by their part's.
    bool verifies_normally(long u) const;
    bool pays_normally(long u) const;
    // When pattern instance `group` happens; its users' ordinary activity keeps clear of it.
    std::time_t pattern_time(long group) const;
    bool in_blackout(long u, std::time_t t) const;
    // The user playing `part` (position `index`) in instance `group`.
    long member(Part part, long group, int index = 0) const;
    // The charger a forced adder added.
    long forced_charger_of(long u) const;
    long first_actor() const { return first_actor_; }

    std::string timestamp(std::time_t t) const;  // "2026-11-01 09:15:00+00"

private:
    void assign_roles();

    std::uint64_t seed_;
    int scale_;
    std::time_t anchor_;
    std::vector<long> city_user_end_;
    std::vector<long> city_charger_end_;
    std::vector<Role> roles_;  // only for the reserved tail of users (a few percent)
    long first_actor_ = 0;
    long forced_chargers_ = 0;
    std::vector<long> forced_adders_;
};

// The verifications a user makes, in time order: shared by the verification table and the
// coin ledger (each verification earns coins).
struct Verification {
    long charger;
    std::time_t at;
    int index;  // per user, for the id
};
std::vector<Verification> normal_verifications(const World& w, long u);

struct Login {
    std::time_t at;
    bool success;
    std::string ip;
    double lat;
    double lon;
    const char* country;
};
std::vector<Login> normal_logins(const World& w, long u);

}  // namespace spotctl::seed
