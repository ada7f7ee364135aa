#include "commands/seed/planted_fraud.hpp"

#include <fmt/format.h>

namespace spotctl::seed {

const std::vector<BlacklistEntry>& blacklist_entries() {
    static const std::vector<BlacklistEntry> entries = {
        {"185.220.101.0/24", "Tor exit relays used in credential attacks", false},
        {"45.155.205.0/24", "card testing from a bulletproof host", false},
        {"2a0b:f4c2:1::/48", "IPv6 range of a known proxy network", false},
        {"91.240.118.0/24", "old scanner range, lifted", true},
    };
    return entries;
}

namespace {

struct Planter {
    const World& w;
    Planted& out;

    const Place& home(long u) const { return home_cities()[static_cast<std::size_t>(w.user_city(u))]; }
    std::string id(long u) const { return w.user_id(u); }

    void login(long u, const std::string& ip, bool success, std::time_t at, const Place& where) {
        out.logins.push_back({u, w.user_email(u), ip, success, at, where.lat, where.lon, where.country, w.user_agent(u)});
    }
    void truth(std::string rule, std::string type, std::string subject, std::string label, std::time_t from, std::time_t to,
               std::string note) {
        out.truth.push_back({std::move(rule), std::move(type), std::move(subject), std::move(label), from, to, std::move(note)});
    }
    long hub(long u, long k) const {
        int city = w.user_city(u);
        return w.city_first_charger(city) + k % World::hub_size;
    }
    // An active home-city charger, not a hub one, that existed before the activity window.
    long ordinary_charger(long u, std::uint64_t k) const {
        int city = w.user_city(u);
        long n = std::max(1L, w.city_charger_count(city) - World::hub_size);
        long first = w.city_first_charger(city) + World::hub_size;
        for (long step = 0; step < n; ++step) {
            long c = first + static_cast<long>((k + static_cast<std::uint64_t>(step)) % static_cast<std::uint64_t>(n));
            if (w.charger_status(c) == "active" && w.charger_created(c) < w.window_start() && w.charger_adder(c) != u) return c;
        }
        return w.city_first_charger(city);  // a hub charger: always active and old
    }

    void brute_force(long g, std::time_t b) {
        long target = w.member(Part::brute_force_target, g), near = w.member(Part::brute_force_near, g),
             look = w.member(Part::brute_force_look, g);
        const Place& attacker = far_cities()[static_cast<std::size_t>(g) % far_cities().size()];
        std::string attacker_ip = fmt::format("203.0.{}.{}", 113 + g / 250, 1 + g % 250);
        long attempts = 6 + g % 5;
        for (long k = 0; k < attempts; ++k) login(target, attacker_ip, false, b + k * 80, attacker);
        truth("brute_force", "user", id(target), "fraud", b, b + (attempts - 1) * 80,
              fmt::format("{} failed logins in {} minutes from {}", attempts, (attempts - 1) * 80 / 60, attacker_ip));
        // Forgot the password: four tries in 14 minutes, then in.
        for (long k = 0; k < 4; ++k) login(near, w.user_home_ip(near), false, b + k * 4 * minute + 20, home(near));
        login(near, w.user_home_ip(near), true, b + 13 * minute, home(near));
        truth("brute_force", "user", id(near), "near_miss", b, b + 13 * minute, "4 failures in 14 minutes");
        // Five failures spread over three hours.
        for (long k = 0; k < 5; ++k) login(look, w.user_home_ip(look), false, b + k * 45 * minute, home(look));
        login(look, w.user_home_ip(look), true, b + 3 * hour + 5 * minute, home(look));
        truth("brute_force", "user", id(look), "lookalike", b, b + 3 * hour, "5 failures over 3 hours");
    }

    void credential_stuffing(long g, std::time_t b) {
        long ordinary = w.first_actor() - w.staff();
        auto victim = [&](long k) { return w.staff() + static_cast<long>(mix64(w.seed() ^ static_cast<std::uint64_t>(g * 1000 + k)) % static_cast<std::uint64_t>(ordinary)); };
        const Place& origin = far_cities()[static_cast<std::size_t>(g + 1) % far_cities().size()];
        std::string ip = fmt::format("198.51.{}.{}", 100 + g / 250, 1 + g % 250);
        long accounts = 12 + g % 10;
        for (long k = 0; k < accounts; ++k) {
            std::time_t at = b + k * 2 * minute;
            if (k % 4 == 3) {  // an address with no account
                out.logins.push_back({-1, fmt::format("ghost{}.{}@example.net", g, k), ip, false, at, origin.lat, origin.lon, origin.country, "python-requests/2.31"});
            } else {
                long v = victim(k);
                out.logins.push_back({v, w.user_email(v), ip, false, at, origin.lat, origin.lon, origin.country, "python-requests/2.31"});
            }
        }
        truth("credential_stuffing", "ip", ip, "fraud", b, b + (accounts - 1) * 2 * minute, fmt::format("{} accounts in {} minutes", accounts, (accounts - 1) * 2));
        std::string near_ip = fmt::format("198.18.{}.{}", g / 250, 1 + g % 250);
        for (long k = 0; k < 9; ++k) {
            long v = victim(100 + k);
            out.logins.push_back({v, w.user_email(v), near_ip, false, b + k * 5 * minute, origin.lat, origin.lon, origin.country, "curl/8.5"});
        }
        truth("credential_stuffing", "ip", near_ip, "near_miss", b, b + 40 * minute, "9 accounts in an hour");
        // An office behind one address: many colleagues signing in, a few typos.
        std::string office_ip = fmt::format("14.{}.{}.10", 140 + g % 50, (g / 50) % 256);
        int city = w.user_city(w.member(Part::brute_force_target, g));
        long first = w.city_first_user(city), count = w.city_user_count(city);
        for (long k = 0; k < 30; ++k) {
            long v = first + (k * 37 + g) % count;
            if (v < w.staff() || w.is_guest(v)) continue;
            std::time_t at = b + 2 * hour + k * 2 * minute;
            const Place& where = home_cities()[static_cast<std::size_t>(w.user_city(v))];
            if (k % 10 == 0) login(v, office_ip, false, at - 30, where);
            login(v, office_ip, true, at, where);
        }
        truth("credential_stuffing", "ip", office_ip, "lookalike", b + 2 * hour, b + 3 * hour, "an office: 30 colleagues sign in");
    }

    void travel(long g, std::time_t b) {
        long fraud = w.member(Part::travel_fraud, g), near = w.member(Part::travel_near, g), look = w.member(Part::travel_look, g);
        const Place& far = far_cities()[static_cast<std::size_t>(g) % far_cities().size()];
        std::time_t gap = 20 * minute + (g % 7) * 10 * minute;
        login(fraud, w.user_home_ip(fraud), true, b, home(fraud));
        login(fraud, fmt::format("81.2.{}.{}", 69 + g / 250, 1 + g % 250), true, b + gap, far);
        truth("impossible_travel", "user", id(fraud), "fraud", b, b + gap,
              fmt::format("{} to {} in {} minutes", home(fraud).city, far.city, gap / 60));
        // Just under 900 km/h: the farthest pair of home cities at 800 km/h.
        const Place& from = home(near);
        const Place* to = &home_cities()[0];
        for (const auto& p : home_cities())
            if (distance_km(from.lat, from.lon, p.lat, p.lon) > distance_km(from.lat, from.lon, to->lat, to->lon)) to = &p;
        double km = distance_km(from.lat, from.lon, to->lat, to->lon);
        std::time_t near_gap = static_cast<std::time_t>(km / 800.0 * hour);
        login(near, w.user_home_ip(near), true, b, from);
        login(near, w.user_mobile_ip(near), true, b + near_gap, *to);
        truth("impossible_travel", "user", id(near), "near_miss", b, b + near_gap, fmt::format("{:.0f} km at 800 km/h", km));
        // A real flight: three hours door to door.
        const Place& dest = home_cities()[static_cast<std::size_t>(w.user_city(look) + 1) % home_cities().size()];
        login(look, w.user_home_ip(look), true, b, home(look));
        login(look, w.user_mobile_ip(look), true, b + 3 * hour + 30 * minute, dest);
        truth("impossible_travel", "user", id(look), "lookalike", b, b + 3 * hour + 30 * minute, "a flight between cities");
    }

    void velocity(long g, std::time_t b) {
        long burst = w.member(Part::velocity_burst, g), jump = w.member(Part::velocity_jump, g),
             near_count = w.member(Part::velocity_near_count, g), near_speed = w.member(Part::velocity_near_speed, g),
             look = w.member(Part::velocity_look, g);
        long n = 22 + g % 8;
        for (long k = 0; k < n; ++k) out.verifications.push_back({burst, hub(burst, k), b + k * 55 * minute / n});
        truth("verification_velocity", "user", id(burst), "fraud", b, b + 55 * minute, fmt::format("{} verifications in 55 minutes", n));
        // Two cities, fifteen minutes apart.
        long here = ordinary_charger(jump, static_cast<std::uint64_t>(g));
        int other_city = (w.user_city(jump) + 2) % static_cast<int>(home_cities().size());
        long there = w.city_first_charger(other_city);  // a hub charger there: active and old
        out.verifications.push_back({jump, here, b});
        out.verifications.push_back({jump, there, b + 15 * minute});
        truth("verification_velocity", "user", id(jump), "fraud", b, b + 15 * minute, "two cities 15 minutes apart");
        for (long k = 0; k < 19; ++k) out.verifications.push_back({near_count, hub(near_count, k), b + k * 3 * minute});
        truth("verification_velocity", "user", id(near_count), "near_miss", b, b + 54 * minute, "19 verifications in an hour");
        // Two chargers of one city at 80 km/h: quick, but a car does it.
        long a = ordinary_charger(near_speed, static_cast<std::uint64_t>(g)), c = ordinary_charger(near_speed, static_cast<std::uint64_t>(g) + 7);
        auto pa = w.charger_position(a), pc = w.charger_position(c);
        double km = distance_km(pa.lat, pa.lon, pc.lat, pc.lon);
        out.verifications.push_back({near_speed, a, b});
        out.verifications.push_back({near_speed, c, b + std::max<std::time_t>(10 * minute, static_cast<std::time_t>(km / 80.0 * hour))});
        truth("verification_velocity", "user", id(near_speed), "near_miss", b, b + hour, fmt::format("{:.1f} km at 80 km/h", km));
        for (long k = 0; k < 8; ++k) out.verifications.push_back({look, hub(look, k), b + k * 4 * minute});
        truth("verification_velocity", "user", id(look), "lookalike", b, b + 28 * minute, "8 chargers of one plaza in 30 minutes");
    }

    void ring(long g, std::time_t b) {
        // Four accounts that verify only each other's chargers, again and again.
        for (int m = 0; m < 4; ++m) {
            long u = w.member(Part::ring_member, g, m);
            for (int o = 0; o < 4; ++o) {
                if (o == m) continue;
                long charger = w.forced_charger_of(w.member(Part::ring_member, g, o));
                for (int rep = 0; rep < 2; ++rep) out.verifications.push_back({u, charger, b - (rep * 7 + o * 2 + m) * day + m * hour});
            }
            truth("verification_ring", "user", id(u), "fraud", b - 21 * day, b, "4 accounts verifying only each other's chargers");
        }
        // Three accounts with half their verifications inside the group.
        for (int m = 0; m < 3; ++m) {
            long u = w.member(Part::ring_near_member, g, m);
            for (int o = 0; o < 3; ++o)
                if (o != m) out.verifications.push_back({u, w.forced_charger_of(w.member(Part::ring_near_member, g, o)), b - (o * 3 + m) * day});
            for (int k = 0; k < 2; ++k) out.verifications.push_back({u, ordinary_charger(u, static_cast<std::uint64_t>(g * 11 + static_cast<long>(m) * 3 + k)), b - (10 + k * 2 + m) * day});
            truth("verification_ring", "user", id(u), "near_miss", b - 14 * day, b, "half of the verifications inside a group of 3");
        }
        // Two friends who verify each other's charger now and then, among many others.
        for (int m = 0; m < 2; ++m) {
            long u = w.member(Part::ring_look_friend, g, m);
            long friend_charger = w.forced_charger_of(w.member(Part::ring_look_friend, g, 1 - m));
            for (int rep = 0; rep < 2; ++rep) out.verifications.push_back({u, friend_charger, b - (rep * 9 + m) * day});
            for (int k = 0; k < 8; ++k) out.verifications.push_back({u, ordinary_charger(u, static_cast<std::uint64_t>(g * 17 + static_cast<long>(m) * 8 + k)), b - (20 + k * 3 + m) * day});
            truth("verification_ring", "user", id(u), "lookalike", b - 45 * day, b, "friends, a fifth of verifications mutual");
        }
    }

    void self_dealing(long g, std::time_t b) {
        long owner = w.member(Part::dealer_owner, g), puppet = w.member(Part::dealer_puppet, g), reviewer = w.member(Part::dealer_reviewer, g);
        long charger = w.forced_charger_of(owner);
        for (long k = 0; k < 3; ++k) out.verifications.push_back({puppet, charger, b - k * 4 * day});
        // The puppet signs in from the owner's address and device.
        for (long k = 0; k < 3; ++k) login(puppet, w.user_home_ip(puppet), true, b - k * 4 * day - 10 * minute, home(puppet));
        truth("self_dealing", "user", id(puppet), "fraud", b - 8 * day, b, "second account on the owner's device verifies the owner's charger");
        out.reviews.push_back({reviewer, w.forced_charger_of(reviewer), b - day});
        truth("self_dealing", "user", id(reviewer), "fraud", b - day, b - day + 1, "reviews the charger they added");
        // A household: one address and device, but the member verifies other people's chargers.
        long member = w.member(Part::household_member, g);
        for (long k = 0; k < 2; ++k) login(member, w.user_home_ip(member), true, b - k * 5 * day, home(member));
        truth("self_dealing", "user", id(member), "lookalike", b - 10 * day, b, "shares an address and device, verifies others' chargers");
    }

    void cards(long g, std::time_t b) {
        std::string shared = fmt::format("fp_shared{:012x}", mix64(w.seed() ^ static_cast<std::uint64_t>(g)) >> 16);
        for (int m = 0; m < 4; ++m) {
            long u = w.member(Part::card_sharer, g, m);
            out.payments.push_back({u, "card", shared, "succeeded", 25000 + m * 1000, b + m * (80 * minute), w.user_home_ip(u)});
        }
        truth("card_sharing", "card", shared, "fraud", b, b + 4 * hour, "one card, 4 accounts in 4 hours");
        std::string near = fmt::format("fp_near{:014x}", mix64(w.seed() ^ 0xC0FFEEull ^ static_cast<std::uint64_t>(g)) >> 8);
        for (int m = 0; m < 3; ++m) {
            long u = w.member(Part::card_near_sharer, g, m);
            out.payments.push_back({u, "card", near, "succeeded", 18000, b - 3 * day + m * (30 * hour), w.user_home_ip(u)});
        }
        truth("card_sharing", "card", near, "near_miss", b - 3 * day, b, "one card, 3 accounts over 3 days");
        long retrier = w.member(Part::card_retrier, g);
        std::string own = w.card_fingerprint(retrier, 0);
        for (long k = 0; k < 8; ++k)
            out.payments.push_back({retrier, "card", own, k < 7 ? "failed" : "succeeded", 42000, b + k * 70, w.user_home_ip(retrier)});
        truth("card_sharing", "card", own, "lookalike", b, b + 10 * minute, "one account retrying its own card");
        long abuser = w.member(Part::refund_abuser, g), careful = w.member(Part::refund_near, g);
        for (int k = 0; k < 10; ++k) {
            out.payments.push_back({abuser, "card", w.card_fingerprint(abuser, 0), k < 7 ? "refunded" : "succeeded", 30000 + k * 500,
                                    b - (20 - 2 * k) * day, w.user_home_ip(abuser)});
            out.payments.push_back({careful, "card", w.card_fingerprint(careful, 0), k < 4 ? "refunded" : "succeeded", 30000 + k * 500,
                                    b - (20 - 2 * k) * day, w.user_home_ip(careful)});
        }
        truth("card_sharing", "user", id(abuser), "fraud", b - 20 * day, b, "7 of 10 payments refunded");
        truth("card_sharing", "user", id(careful), "near_miss", b - 20 * day, b, "4 of 10 payments refunded");
    }

    void blacklisted(long g, std::time_t b) {
        long u = w.member(Part::blacklisted_user, g), look = w.member(Part::blacklist_look_user, g);
        std::string login_ip = g % 2 == 0 ? fmt::format("185.220.101.{}", 1 + g % 250) : fmt::format("2a0b:f4c2:1::{:x}", 16 + g);
        std::string pay_ip = fmt::format("45.155.205.{}", 1 + g % 250);
        login(u, login_ip, true, b, home(u));
        out.payments.push_back({u, "upi", "", "succeeded", 9900, b + 5 * minute, pay_ip});
        truth("blacklisted_ip", "ip", login_ip, "fraud", b, b, "login from a blacklisted range");
        truth("blacklisted_ip", "ip", pay_ip, "fraud", b + 5 * minute, b + 5 * minute, "payment from a blacklisted range");
        std::string next_door = fmt::format("185.220.102.{}", 1 + g % 250);
        std::string lifted = fmt::format("91.240.118.{}", 1 + g % 250);
        login(look, next_door, true, b, home(look));
        login(look, lifted, true, b + hour, home(look));
        truth("blacklisted_ip", "ip", next_door, "lookalike", b, b, "the range next to a blacklisted one");
        truth("blacklisted_ip", "ip", lifted, "lookalike", b + hour, b + hour, "a range whose blacklisting expired");
    }
};

}  // namespace

Planted plant_fraud(const World& w) {
    Planted planted;
    Planter p{w, planted};
    for (long g = 0; g < w.instances(); ++g) {
        std::time_t b = w.pattern_time(g);
        p.brute_force(g, b);
        p.credential_stuffing(g, b);
        p.travel(g, b);
        p.velocity(g, b);
        p.ring(g, b);
        p.self_dealing(g, b);
        p.cards(g, b);
        p.blacklisted(g, b);
    }
    return planted;
}

}  // namespace spotctl::seed
