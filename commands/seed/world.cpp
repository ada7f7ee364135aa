#include "commands/seed/world.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace spotctl::seed {

const std::vector<Place>& home_cities() {
    static const std::vector<Place> cities = {
        {"Bengaluru", 12.9716, 77.5946, "IN"}, {"Mumbai", 19.0760, 72.8777, "IN"},  {"Delhi", 28.6139, 77.2090, "IN"},
        {"Hyderabad", 17.3850, 78.4867, "IN"}, {"Chennai", 13.0827, 80.2707, "IN"}, {"Pune", 18.5204, 73.8567, "IN"},
    };
    return cities;
}

const std::vector<Place>& far_cities() {
    static const std::vector<Place> cities = {
        {"London", 51.5074, -0.1278, "GB"},   {"Singapore", 1.3521, 103.8198, "SG"},
        {"Frankfurt", 50.1109, 8.6821, "DE"}, {"New York", 40.7128, -74.0060, "US"},
    };
    return cities;
}

// The share of users and chargers in each home city.
static const double city_weights[] = {0.24, 0.22, 0.2, 0.14, 0.12, 0.08};

double distance_km(double lat1, double lon1, double lat2, double lon2) {
    constexpr double r = 6371.0, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * r * std::asin(std::sqrt(a));
}

namespace {
// Users of one pattern instance, in this order; the counts are the pattern's group sizes.
struct PartSpec {
    Part part;
    int members;
};
const PartSpec actor_layout[] = {
    {Part::brute_force_target, 1}, {Part::brute_force_near, 1}, {Part::brute_force_look, 1},
    {Part::travel_fraud, 1},       {Part::travel_near, 1},      {Part::travel_look, 1},
    {Part::velocity_burst, 1},     {Part::velocity_jump, 1},    {Part::velocity_near_count, 1},
    {Part::velocity_near_speed, 1}, {Part::velocity_look, 1},
    {Part::ring_member, 4},        {Part::ring_near_member, 3}, {Part::ring_look_friend, 2},
    {Part::dealer_owner, 1},       {Part::dealer_puppet, 1},    {Part::dealer_reviewer, 1},
    {Part::household_owner, 1},    {Part::household_member, 1},
    {Part::card_sharer, 4},        {Part::card_near_sharer, 3}, {Part::card_retrier, 1},
    {Part::refund_abuser, 1},      {Part::refund_near, 1},
    {Part::blacklisted_user, 1},   {Part::blacklist_look_user, 1},
};
// Parts whose users add a charger of their own (forced adders).
bool adds_forced_charger(Part p) {
    return p == Part::ring_member || p == Part::ring_near_member || p == Part::ring_look_friend || p == Part::dealer_owner ||
           p == Part::dealer_reviewer || p == Part::household_owner;
}
}  // namespace

World::World(std::uint64_t seed, int scale, std::time_t anchor) : seed_(seed), scale_(scale), anchor_(anchor) {
    assign_roles();
    long ordinary = first_actor_;
    long chargers_free = chargers() - forced_chargers_;
    double cumulative = 0;
    for (double w : city_weights) {
        cumulative += w;
        city_user_end_.push_back(static_cast<long>(std::llround(ordinary * cumulative)));
        city_charger_end_.push_back(static_cast<long>(std::llround(chargers_free * cumulative)));
    }
    city_user_end_.back() = ordinary;
    city_charger_end_.back() = chargers_free;
}

void World::assign_roles() {
    long per_instance = 0;
    for (const auto& s : actor_layout) per_instance += s.members;
    long actors = per_instance * instances();
    first_actor_ = users() - actors;
    roles_.assign(static_cast<std::size_t>(actors), Role{});
    long u = 0;
    for (long g = 0; g < instances(); ++g)
        for (const auto& s : actor_layout)
            for (int m = 0; m < s.members; ++m) {
                roles_[static_cast<std::size_t>(u)] = Role{s.part, g, m};
                if (adds_forced_charger(s.part)) forced_adders_.push_back(first_actor_ + u);
                ++u;
            }
    forced_chargers_ = static_cast<long>(forced_adders_.size());
}

const Role& World::role(long u) const {
    static const Role none{};
    if (u < first_actor_) return none;
    return roles_[static_cast<std::size_t>(u - first_actor_)];
}

std::string World::uuid(std::string_view kind, std::uint64_t index) const {
    std::uint64_t a = mix64(seed_ ^ mix64(tag(kind) ^ mix64(index)));
    std::uint64_t b = mix64(a ^ 0x5bd1e9955bd1e995ull);
    a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
    return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFFF, b >> 48,
                       b & 0xFFFFFFFFFFFFull);
}

// ---- users -----------------------------------------------------------------------

long World::city_first_user(int city) const { return city == 0 ? 0 : city_user_end_[static_cast<std::size_t>(city - 1)]; }
long World::city_user_count(int city) const { return city_user_end_[static_cast<std::size_t>(city)] - city_first_user(city); }

int World::user_city(long u) const {
    if (u >= first_actor_) {
        // Each pattern instance lives in one city, so its members can meet.
        return static_cast<int>(mix64(seed_ ^ static_cast<std::uint64_t>(role(u).group) * 7919u) % home_cities().size());
    }
    auto it = std::upper_bound(city_user_end_.begin(), city_user_end_.end(), u);
    return static_cast<int>(it - city_user_end_.begin());
}

bool World::is_guest(long u) const { return u >= staff() && u < first_actor_ && Rng(seed_, "guest", static_cast<std::uint64_t>(u)).chance(0.03); }

std::string World::user_role(long u) const {
    if (u < staff_admins()) return "admin";
    if (u < staff_admins() + staff_moderators()) return "moderator";
    if (u < staff()) return "operator";
    return "user";
}

std::string World::user_email(long u) const {
    if (u < staff_admins()) return fmt::format("admin{}@spot.example", u + 1);
    if (u < staff_admins() + staff_moderators()) return fmt::format("moderator{}@spot.example", u - staff_admins() + 1);
    if (u < staff()) return fmt::format("operator{}@spot.example", u - staff_admins() - staff_moderators() + 1);
    return fmt::format("user{}@example.com", u);
}

std::time_t World::user_created(long u) const {
    Rng r(seed_, "user-created", static_cast<std::uint64_t>(u));
    if (u < staff()) return anchor_ - 500 * day + u * hour;
    // Actors exist well before the window, so their pattern is the only unusual thing about them.
    if (u >= first_actor_ || r.chance(0.9)) return window_start() - r.between(day, 450 * day);
    return window_start() + r.between(0, 80 * day);  // recent sign-ups
}

namespace {
long owner_of(const World& w, long u, Part owner_part) {
    // The owner is the user just before in the same instance's layout.
    for (long v = u - 1; v >= 0 && v >= u - 4; --v)
        if (w.role(v).part == owner_part && w.role(v).group == w.role(u).group) return v;
    return u;
}
}  // namespace

std::string World::user_home_ip(long u) const {
    if (role(u).part == Part::dealer_puppet) u = owner_of(*this, u, Part::dealer_owner);
    if (role(u).part == Part::household_member) u = owner_of(*this, u, Part::household_owner);
    std::uint64_t h = mix64(seed_ ^ tag("home-ip") ^ static_cast<std::uint64_t>(u));
    return fmt::format("49.{}.{}.{}", 20 + h % 200, (h >> 8) % 256, 1 + (h >> 16) % 250);
}

std::string World::user_mobile_ip(long u) const {
    std::uint64_t h = mix64(seed_ ^ tag("mobile-ip") ^ static_cast<std::uint64_t>(u));
    return fmt::format("106.{}.{}.{}", 192 + h % 32, (h >> 8) % 256, 1 + (h >> 16) % 250);
}

std::string World::user_agent(long u) const {
    static const char* agents[] = {
        "SpotApp/3.4.1 (Android 14; Pixel 8)", "SpotApp/3.4.1 (Android 13; Galaxy S23)", "SpotApp/3.4.0 (iOS 17.5; iPhone15,2)",
        "SpotApp/3.3.9 (iOS 16.7; iPhone13,1)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15", "SpotApp/3.4.1 (Android 12; Redmi Note 11)",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0"};
    if (role(u).part == Part::dealer_puppet) u = owner_of(*this, u, Part::dealer_owner);
    if (role(u).part == Part::household_member) u = owner_of(*this, u, Part::household_owner);
    // A per-user build suffix keeps ordinary users' devices apart.
    std::uint64_t h = mix64(seed_ ^ tag("agent") ^ static_cast<std::uint64_t>(u));
    return fmt::format("{} build/{}", agents[h % 8], (h >> 8) % 100000);
}

std::string World::card_fingerprint(long u, int card) const {
    std::uint64_t h = mix64(seed_ ^ tag("card") ^ mix64(static_cast<std::uint64_t>(u) * 4 + static_cast<std::uint64_t>(card)));
    return fmt::format("fp_{:016x}{:08x}", h, mix64(h) >> 32);
}

bool World::verifies_normally(long u) const {
    if (u < staff() || is_guest(u)) return false;
    switch (role(u).part) {
        case Part::ring_member:
        case Part::ring_near_member:
        case Part::dealer_puppet:
        case Part::velocity_burst:
        case Part::velocity_near_count:
            return false;  // their verifications are the pattern's own
        default:
            return true;
    }
}

std::time_t World::pattern_time(long group) const {
    return anchor_ - (2 + (group * 5) % 25) * day - (group % 12) * hour - 9 * hour;
}

bool World::in_blackout(long u, std::time_t t) const {
    if (role(u).part == Part::none) return false;
    std::time_t b = pattern_time(role(u).group);
    return t > b - 12 * hour && t < b + 12 * hour;
}

bool World::pays_normally(long u) const {
    return role(u).part != Part::refund_abuser && role(u).part != Part::refund_near;
}

long World::member(Part part, long group, int index) const {
    std::size_t per_instance = roles_.size() / static_cast<std::size_t>(instances());
    std::size_t start = static_cast<std::size_t>(group) * per_instance;
    for (std::size_t i = start; i < start + per_instance; ++i)
        if (roles_[i].part == part && roles_[i].member == index) return first_actor_ + static_cast<long>(i);
    return -1;
}

long World::forced_charger_of(long u) const {
    for (std::size_t i = 0; i < forced_adders_.size(); ++i)
        if (forced_adders_[i] == u) return forced_first_charger() + static_cast<long>(i);
    return -1;
}

// ---- chargers ----------------------------------------------------------------------

long World::city_first_charger(int city) const { return city == 0 ? 0 : city_charger_end_[static_cast<std::size_t>(city - 1)]; }
long World::city_charger_count(int city) const { return city_charger_end_[static_cast<std::size_t>(city)] - city_first_charger(city); }

int World::charger_city(long c) const {
    if (c >= forced_first_charger()) return user_city(charger_adder(c));
    auto it = std::upper_bound(city_charger_end_.begin(), city_charger_end_.end(), c);
    return static_cast<int>(it - city_charger_end_.begin());
}

namespace {
// A point within radius_km of (lat, lon), from a stream.
void offset_point(Rng& r, double lat, double lon, double radius_km, double& out_lat, double& out_lon) {
    double d = radius_km * std::sqrt(r.unit()), angle = 2 * M_PI * r.unit();
    out_lat = lat + (d / 111.0) * std::cos(angle);
    out_lon = lon + (d / (111.0 * std::cos(lat * M_PI / 180.0))) * std::sin(angle);
}
}  // namespace

World::Position World::charger_position(long c) const {
    const Place& p = home_cities()[static_cast<std::size_t>(charger_city(c))];
    Rng r(seed_, "charger-place", static_cast<std::uint64_t>(c));
    bool hub = c < forced_first_charger() && c - city_first_charger(charger_city(c)) < hub_size;
    Position pos{};
    offset_point(r, p.lat + (hub ? 0.01 : 0), p.lon, hub ? 0.25 : 15.0, pos.lat, pos.lon);
    return pos;
}

long World::charger_adder(long c) const {
    if (c >= forced_first_charger()) return forced_adders_[static_cast<std::size_t>(c - forced_first_charger())];
    // Plazas come from operators' feeds; some chargers from an open data set.
    if (c - city_first_charger(charger_city(c)) < hub_size) return -1;
    Rng r(seed_, "charger-adder", static_cast<std::uint64_t>(c));
    if (r.chance(0.05)) return -1;
    int city = charger_city(c);
    long first = city_first_user(city), count = city_user_count(city);
    for (int attempt = 0; attempt < 8; ++attempt) {
        long u = first + static_cast<long>(r.below(static_cast<std::uint64_t>(count)));
        if (u >= staff() && !is_guest(u)) return u;
    }
    return -1;
}

std::time_t World::charger_created(long c) const {
    Rng r(seed_, "charger-created", static_cast<std::uint64_t>(c));
    long adder = charger_adder(c);
    std::time_t earliest = adder >= 0 ? user_created(adder) + day : window_start() - 400 * day;
    if (charger_status(c) == "pending") return std::max<std::time_t>(earliest, anchor_ - r.between(hour, 10 * day));
    // Before the activity window, and after the person who added it joined.
    std::time_t t = window_start() - r.between(day, 300 * day);
    return std::max<std::time_t>(t, earliest);
}

std::string World::charger_status(long c) const {
    if (c >= forced_first_charger()) return "active";
    if (c - city_first_charger(charger_city(c)) < hub_size) return "active";
    double x = Rng(seed_, "charger-status", static_cast<std::uint64_t>(c)).unit();
    if (x < 0.85) return "active";
    if (x < 0.93) return "pending";
    if (x < 0.97) return "hidden";
    return "removed";
}

std::string World::timestamp(std::time_t t) const {
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

// ---- activity ------------------------------------------------------------------------

std::vector<Verification> normal_verifications(const World& w, long u) {
    std::vector<Verification> out;
    if (!w.verifies_normally(u)) return out;
    Rng r(w.seed(), "verifications", static_cast<std::uint64_t>(u));
    int count = static_cast<int>(std::min(80.0, r.exponential(10.0)));
    int home = w.user_city(u);
    std::time_t t = std::max(w.window_start(), w.user_created(u) + hour) + static_cast<std::time_t>(r.exponential(3.0 * day));
    double lat = home_cities()[static_cast<std::size_t>(home)].lat, lon = home_cities()[static_cast<std::size_t>(home)].lon;
    for (int i = 0; i < count; ++i) {
        // Mostly at home, sometimes on a trip to another city.
        int city = r.chance(0.92) ? home : static_cast<int>(r.below(home_cities().size()));
        long first = w.city_first_charger(city), n = w.city_charger_count(city);
        if (n <= 0) continue;
        long c = first + static_cast<long>(r.below(static_cast<std::uint64_t>(n)));
        if (w.charger_adder(c) == u || w.charger_status(c) != "active") continue;
        auto [clat, clon] = w.charger_position(c);
        // Never faster than 60 km/h between two verifications, plus time spent at each.
        double travel_hours = distance_km(lat, lon, clat, clon) / 60.0;
        t += static_cast<std::time_t>(hour * (travel_hours + 1.0) + r.exponential(2.0 * day));
        if (t >= w.anchor()) break;
        if (t <= w.charger_created(c) || w.in_blackout(u, t)) continue;
        out.push_back({c, t, i});
        lat = clat;
        lon = clon;
    }
    return out;
}

std::vector<Login> normal_logins(const World& w, long u) {
    std::vector<Login> out;
    Rng r(w.seed(), "logins", static_cast<std::uint64_t>(u));
    long count = u < w.staff() ? 150 : w.is_guest(u) ? 5 : r.between(60, 140);
    std::time_t start = std::max(w.window_start(), w.user_created(u) + 60);
    if (start >= w.anchor()) return out;
    double gap = static_cast<double>(w.anchor() - start) / static_cast<double>(count + 1);
    const Place& home = home_cities()[static_cast<std::size_t>(w.user_city(u))];
    std::string home_ip = w.user_home_ip(u), mobile_ip = w.user_mobile_ip(u);
    std::time_t t = start;
    for (long i = 0; i < count; ++i) {
        t += 300 + static_cast<std::time_t>(r.exponential(gap));
        if (t >= w.anchor()) break;
        if (w.in_blackout(u, t)) continue;
        const std::string& ip = r.chance(0.7) ? home_ip : mobile_ip;
        // A typo now and then: one (rarely two) failures shortly before the success.
        int failures = r.chance(0.06) ? (r.chance(0.15) ? 2 : 1) : 0;
        for (long f = failures; f > 0; --f) out.push_back({t - 25 * f - r.between(0, 20), false, ip, home.lat, home.lon, home.country});
        out.push_back({t, true, ip, home.lat, home.lon, home.country});
    }
    return out;
}

}  // namespace spotctl::seed
