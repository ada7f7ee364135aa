// chargers, charger_verifications, charger_photos, charger_reviews and the coin ledger.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "commands/seed/generate_tables.hpp"
#include "commands/seed/table_sink.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/rewards.hpp"

namespace spotctl::seed {
namespace {

const char* brands[] = {"Tata Power EZ Charge", "Statiq", "ChargeZone", "Jio-bp pulse", "Ather Grid", "Zeon", "GLIDA", "Kazam"};
const char* streets[] = {"MG Road", "Ring Road", "Station Road", "Lake View Road", "Temple Street", "Tech Park Avenue",
                         "Market Lane", "Airport Road", "College Road", "Harbour Road"};
const char* amenity_names[] = {"restroom", "cafe", "wifi", "parking", "shopping", "restaurant", "24x7"};
const char* review_bodies[] = {"Fast and reliable.", "One port was broken, the other worked.", "Easy to find, good lighting at night.",
                               "Slow charging today.", "Staff were helpful; café next door.", "Often occupied in the evening.",
                               "Great spot, \"clean\" and safe.", "App showed it available, it was not."};


long other_user_in_city(const World& w, Rng& r, int city) {
    long first = w.city_first_user(city), count = w.city_user_count(city);
    for (int attempt = 0; attempt < 8; ++attempt) {
        long u = first + static_cast<long>(r.below(static_cast<std::uint64_t>(count)));
        if (u >= w.staff() && !w.is_guest(u)) return u;
    }
    return w.staff();
}

}  // namespace

std::vector<Photo> photos_of(const World& w, long c) {
    std::vector<Photo> out;
    if (w.charger_status(c) == "removed") return out;
    Rng r(w.seed(), "photos", static_cast<std::uint64_t>(c));
    int n = static_cast<int>(r.below(4));
    for (int k = 0; k < n; ++k) {
        Photo p;
        p.id = w.uuid("photo", static_cast<std::uint64_t>(c) * 8 + static_cast<std::uint64_t>(k));
        p.uploader = other_user_in_city(w, r, w.charger_city(c));
        std::time_t from = std::max(w.charger_created(c), w.user_created(p.uploader)) + hour;
        if (from >= w.anchor() - 7200) continue;
        p.created = from + static_cast<std::time_t>(r.unit() * static_cast<double>(std::max<std::time_t>(hour, w.anchor() - from - hour)));
        double x = r.unit();
        p.status = x < 0.7 ? "approved" : x < 0.9 ? "pending" : "rejected";
        if (p.status != "pending") {
            std::time_t reviewed = p.created + r.between(600, 48 * hour);
            if (reviewed < w.anchor()) p.reviewed = reviewed;
            else p.status = "pending";
        }
        out.push_back(p);
    }
    return out;
}

std::vector<Review> reviews_of(const World& w, long c) {
    std::vector<Review> out;
    if (w.charger_status(c) != "active") return out;
    Rng r(w.seed(), "reviews", static_cast<std::uint64_t>(c));
    int n = static_cast<int>(r.below(4));
    std::set<long> seen;
    for (int k = 0; k < n; ++k) {
        long u = other_user_in_city(w, r, w.charger_city(c));
        if (u == w.charger_adder(c) || !seen.insert(u).second) continue;  // one review per person
        Review rv;
        rv.id = w.uuid("review", static_cast<std::uint64_t>(c) * 8 + static_cast<std::uint64_t>(k));
        rv.user = u;
        rv.rating = static_cast<int>(std::clamp<long long>(5 - static_cast<long long>(r.exponential(0.9)), 1, 5));
        std::time_t from = std::max(std::max(w.charger_created(c), w.user_created(u)), w.window_start()) + hour;
        if (from >= w.anchor()) continue;
        rv.created = from + static_cast<std::time_t>(r.unit() * static_cast<double>(w.anchor() - from));
        double x = r.unit();
        rv.status = x < 0.85 ? "published" : x < 0.95 ? "pending" : "removed";
        out.push_back(rv);
    }
    return out;
}

std::uint64_t write_chargers(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "chargers",
                   {"id", "name", "address", "city", "latitude", "longitude", "port_types", "total_ports", "available_ports",
                    "amenities", "verification_level", "status", "added_by", "created_at", "updated_at"},
                   static_cast<std::uint64_t>(w.chargers()));
    static const char* port_sets[] = {"{CCS,\"Type 2\"}", "{\"Type 2\"}", "{CCS,CHAdeMO}", "{CCS,\"Type 2\",CHAdeMO}", "{\"Type 1\",\"Type 2\"}", "{\"GB/T\"}", "{CCS}"};
    for (long c = 0; c < w.chargers(); ++c) {
        Rng r(w.seed(), "charger", static_cast<std::uint64_t>(c));
        const Place& city = home_cities()[static_cast<std::size_t>(w.charger_city(c))];
        bool hub = c < w.forced_first_charger() && c - w.city_first_charger(w.charger_city(c)) < World::hub_size;
        std::string name = hub ? fmt::format("{} Plaza {} bay {}", city.city, r.pick(brands), c - w.city_first_charger(w.charger_city(c)) + 1)
                               : fmt::format("{} {} #{}", r.pick(brands), r.pick(streets), c % 997 + 1);
        std::string amenities = "{";
        for (long k = 0, n = static_cast<long>(r.below(4)); k < n; ++k)
            amenities += fmt::format("{}{}", k ? "," : "", amenity_names[(c + k * 3) % 7]);
        amenities += "}";
        int total = static_cast<int>(r.between(1, 8));
        long adder = w.charger_adder(c);
        auto pos = w.charger_position(c);
        std::string created = w.timestamp(w.charger_created(c));
        sink.row({w.charger_id(c), name, fmt::format("{} {}, {}", r.between(1, 400), r.pick(streets), city.city), city.city,
                  fmt::format("{:.6f}", pos.lat), fmt::format("{:.6f}", pos.lon), r.pick(port_sets),
                  std::to_string(total), std::to_string(r.between(0, total)), amenities, "0",
                  w.charger_status(c), adder >= 0 ? pg::Value(w.user_id(adder)) : std::nullopt, created, created});
    }
    return sink.finish();
}

std::uint64_t write_charger_verifications(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "charger_verifications",
                   {"id", "charger_id", "user_id", "reported_status", "note", "latitude", "longitude", "created_at"},
                   static_cast<std::uint64_t>(w.users()) * 10);
    static const char* statuses[] = {"available", "available", "available", "available", "available", "available", "available",
                                     "available", "occupied", "occupied", "broken", "not_found"};
    auto emit = [&](const std::string& id, long u, long c, std::time_t at, Rng& r) {
        bool located = r.chance(0.8);
        auto pos = w.charger_position(c);
        sink.row({id, w.charger_id(c), w.user_id(u), r.pick(statuses), r.chance(0.1) ? pg::Value("all ports working") : std::nullopt,
                  located ? pg::Value(fmt::format("{:.6f}", pos.lat + (r.unit() - 0.5) * 0.0008)) : std::nullopt,
                  located ? pg::Value(fmt::format("{:.6f}", pos.lon + (r.unit() - 0.5) * 0.0008)) : std::nullopt,
                  w.timestamp(at)});
    };
    for (long u = 0; u < w.users(); ++u) {
        Rng r(w.seed(), "verification-details", static_cast<std::uint64_t>(u));
        for (const auto& v : normal_verifications(w, u))
            emit(w.uuid("verification", static_cast<std::uint64_t>(u) * 128 + static_cast<std::uint64_t>(v.index)), u, v.charger, v.at, r);
    }
    Rng r(w.seed(), "planted-verification-details", 0);
    for (std::size_t k = 0; k < g.planted.verifications.size(); ++k) {
        const auto& v = g.planted.verifications[k];
        emit(w.uuid("planted-verification", k), v.user, v.charger, v.at, r);
    }
    return sink.finish();
}

std::uint64_t write_charger_photos(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "charger_photos", {"id", "charger_id", "uploader_id", "storage_url", "status", "created_at", "reviewed_at"},
                   static_cast<std::uint64_t>(w.chargers()) * 3 / 2);
    for (long c = 0; c < w.chargers(); ++c)
        for (const auto& p : photos_of(w, c))
            sink.row({p.id, w.charger_id(c), w.user_id(p.uploader), fmt::format("https://cdn.spot.example/photos/{}.jpg", p.id), p.status,
                      w.timestamp(p.created), p.reviewed ? pg::Value(w.timestamp(*p.reviewed)) : std::nullopt});
    return sink.finish();
}

std::uint64_t write_charger_reviews(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "charger_reviews", {"id", "charger_id", "user_id", "rating", "body", "status", "created_at"},
                   static_cast<std::uint64_t>(w.chargers()) * 3 / 2);
    for (long c = 0; c < w.chargers(); ++c) {
        Rng r(w.seed(), "review-bodies", static_cast<std::uint64_t>(c));
        for (const auto& rv : reviews_of(w, c))
            sink.row({rv.id, w.charger_id(c), w.user_id(rv.user), std::to_string(rv.rating), r.pick(review_bodies), rv.status, w.timestamp(rv.created)});
    }
    for (std::size_t k = 0; k < g.planted.reviews.size(); ++k) {
        const auto& rv = g.planted.reviews[k];
        sink.row({w.uuid("planted-review", k), w.charger_id(rv.charger), w.user_id(rv.user), "5", "Best charger in town!", "published",
                  w.timestamp(rv.at)});
    }
    return sink.finish();
}

namespace {

// What one user earned, with the time it was earned and the id of the rewarded row.
struct Earning {
    std::time_t at;
    const rulebook::Reward* reward;
    std::string subject_id;
};

// Earnings of the users in [first, last): contributions are generated per charger, so every
// charger is looked at and only this range's users are kept. Users are taken in ranges so
// that memory stays bounded whatever the scale.
std::map<long, std::vector<Earning>> earnings(const Gen& g, long first, long last) {
    const World& w = g.w;
    std::map<long, std::vector<Earning>> earned;
    auto mine = [&](long u) { return u >= first && u < last; };
    for (long c = 0; c < w.chargers(); ++c) {
        long adder = w.charger_adder(c);
        if (mine(adder) && w.charger_status(c) == "active")
            earned[adder].push_back({w.charger_created(c) + hour, &rulebook::add_charger, w.charger_id(c)});
        for (const auto& p : photos_of(w, c))
            if (mine(p.uploader) && p.status == "approved") earned[p.uploader].push_back({*p.reviewed, &rulebook::upload_photo, p.id});
        for (const auto& rv : reviews_of(w, c))
            if (mine(rv.user) && rv.status == "published") earned[rv.user].push_back({rv.created + 60, &rulebook::review, rv.id});
    }
    // The planted rows' ids as write_charger_verifications and write_charger_reviews give them.
    for (std::size_t k = 0; k < g.planted.verifications.size(); ++k)
        if (const auto& v = g.planted.verifications[k]; mine(v.user))
            earned[v.user].push_back({v.at + 30, &rulebook::verify_charger, w.uuid("planted-verification", k)});
    for (std::size_t k = 0; k < g.planted.reviews.size(); ++k)
        if (const auto& rv = g.planted.reviews[k]; mine(rv.user))
            earned[rv.user].push_back({rv.at + 60, &rulebook::review, w.uuid("planted-review", k)});
    return earned;
}

// User u's rewards, oldest first: `earned` (from earnings()) and the user's own verifications.
void rewards_of(const World& w, long u, const std::map<long, std::vector<Earning>>& earned, std::vector<Earning>& events) {
    events.clear();
    if (auto it = earned.find(u); it != earned.end()) events = it->second;
    for (const auto& v : normal_verifications(w, u))
        events.push_back({v.at + 30, &rulebook::verify_charger,
                          w.uuid("verification", static_cast<std::uint64_t>(u) * 128 + static_cast<std::uint64_t>(v.index))});
    std::stable_sort(events.begin(), events.end(), [](const Earning& a, const Earning& b) { return a.at < b.at; });
}

constexpr long users_per_pass = 20000;

}  // namespace

std::vector<long> trust_scores(const Gen& g, long first, long last) {
    std::vector<long> out;
    auto earned = earnings(g, first, last);
    std::vector<Earning> events;
    for (long u = first; u < last; ++u) {
        rewards_of(g.w, u, earned, events);
        rulebook::Contributions c;
        for (const auto& e : events) {
            if (e.at >= g.w.anchor()) continue;  // as write_coin_transactions: nothing after the anchor is paid
            if (e.reward == &rulebook::add_charger) ++c.chargers_added;
            else if (e.reward == &rulebook::verify_charger) ++c.verifications;
            else if (e.reward == &rulebook::upload_photo) ++c.photos_uploaded;
        }
        out.push_back(rulebook::trust_score(c));
    }
    return out;
}

long trust_pass_size() { return users_per_pass; }

std::uint64_t write_coin_transactions(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "coin_transactions", {"user_id", "action", "amount", "description", "metadata", "created_at"},
                   static_cast<std::uint64_t>(w.users()) * 11);
    std::vector<Earning> events;
    for (long first = 0; first < w.users(); first += users_per_pass) {
        long last = std::min(w.users(), first + users_per_pass);
        auto earned = earnings(g, first, last);
        for (long u = first; u < last; ++u) {
            rewards_of(w, u, earned, events);
            if (events.empty()) continue;
            Rng r(w.seed(), "redeem", static_cast<std::uint64_t>(u));
            long balance = 0;
            std::string id = w.user_id(u);
            for (std::size_t k = 0; k < events.size(); ++k) {
                const Earning& e = events[k];
                if (e.at >= w.anchor()) continue;
                balance += e.reward->coins;
                sink.row({id, std::string(e.reward->action), std::to_string(e.reward->coins), fmt::format("{} reward", e.reward->action),
                          fmt::format("{{\"{}\": \"{}\"}}", rulebook::reward_subject_key, e.subject_id), w.timestamp(e.at)});
                // Now and then a coupon, never more than the balance.
                std::time_t redeem_at = e.at + 1800;
                bool before_next = k + 1 == events.size() || redeem_at < events[k + 1].at;
                if (balance >= 150 && before_next && redeem_at < w.anchor() && r.chance(0.3)) {
                    balance -= rulebook::redeem_coupon_coins;
                    sink.row({id, std::string(rulebook::redeem_action), std::to_string(-rulebook::redeem_coupon_coins),
                              fmt::format("Redeemed {} coins for a charging coupon", rulebook::redeem_coupon_coins),
                              fmt::format("{{\"coupon\": \"CPN-{:08X}\"}}", r.next() & 0xFFFFFFFF), w.timestamp(redeem_at)});
                }
            }
        }
    }
    return sink.finish();
}

}  // namespace spotctl::seed
