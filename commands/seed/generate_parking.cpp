// parking_lots, parking_slots, reservations and payments.
#include <fmt/format.h>

#include "commands/seed/generate_tables.hpp"
#include "commands/seed/table_sink.hpp"

namespace spotctl::seed {
namespace {

const char* lot_areas[] = {"Koramangala", "Bandra West", "Connaught Place", "HITEC City", "T. Nagar", "Koregaon Park",
                           "Indiranagar", "Powai", "Saket", "Gachibowli", "Anna Nagar", "Viman Nagar"};

int lot_city(const World& w, long lot) { return static_cast<int>(mix64(w.seed() ^ tag("lot-city") ^ static_cast<std::uint64_t>(lot)) % home_cities().size()); }
std::string slot_id(const World& w, long lot, int slot) { return w.uuid("slot", static_cast<std::uint64_t>(lot) * 100 + static_cast<std::uint64_t>(slot)); }

// Hourly rate in paise by slot type.
long long rate(const std::string& type) { return type == "ev" ? 8000 : type == "motorcycle" ? 2000 : 5000; }

std::string slot_type(const World& w, long lot, int slot) {
    double x = Rng(w.seed(), "slot-type", static_cast<std::uint64_t>(lot) * 100 + static_cast<std::uint64_t>(slot)).unit();
    return x < 0.7 ? "standard" : x < 0.9 ? "ev" : x < 0.97 ? "accessible" : "motorcycle";
}

struct Reservation {
    std::string id;
    long user;
    std::time_t starts, ends, created;
    std::string status;
    std::optional<std::time_t> hold_expires;
};

// One slot's reservations, walking forward in time, so they never overlap.
std::vector<Reservation> reservations_of(const World& w, long lot, int slot) {
    std::vector<Reservation> out;
    Rng r(w.seed(), "reservations", static_cast<std::uint64_t>(lot) * 100 + static_cast<std::uint64_t>(slot));
    long per_slot = 2000L * w.scale() / (w.lots() * w.slots_per_lot()) + 1;
    std::time_t t = w.window_start() + r.between(0, 12 * hour);
    double mean_gap = static_cast<double>(w.anchor() + 7 * day - t) / static_cast<double>(per_slot);
    for (long k = 0; k < per_slot; ++k) {
        Reservation res;
        res.starts = t + static_cast<std::time_t>(r.exponential(mean_gap * 0.8)) + 1800;
        res.ends = res.starts + r.between(1, 6) * hour;
        t = res.ends;
        if (res.starts > w.anchor() + 7 * day) break;
        res.id = w.uuid("reservation", (static_cast<std::uint64_t>(lot) * 100 + static_cast<std::uint64_t>(slot)) * 10000 + static_cast<std::uint64_t>(k));
        int city = lot_city(w, lot);
        res.user = w.city_first_user(city) + static_cast<long>(r.below(static_cast<std::uint64_t>(w.city_user_count(city))));
        res.created = res.starts - r.between(600, 72 * hour);
        if (res.ends <= w.anchor()) {
            double x = r.unit();
            res.status = x < 0.82 ? "completed" : x < 0.94 ? "cancelled" : "expired";
        } else if (res.starts <= w.anchor()) {
            res.status = "active";
        } else {
            res.status = r.chance(0.7) ? "confirmed" : "pending";
        }
        if (res.status == "pending" || res.status == "expired") res.hold_expires = res.created + 900;
        out.push_back(res);
    }
    return out;
}

}  // namespace

std::uint64_t write_parking_lots(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "parking_lots", {"id", "name", "address", "city", "latitude", "longitude", "timezone", "operator_id", "created_at"},
                   static_cast<std::uint64_t>(w.lots()));
    for (long lot = 0; lot < w.lots(); ++lot) {
        Rng r(w.seed(), "lot", static_cast<std::uint64_t>(lot));
        const Place& city = home_cities()[static_cast<std::size_t>(lot_city(w, lot))];
        long operator_user = w.staff_admins() + w.staff_moderators() + lot % w.staff_operators();
        sink.row({w.uuid("lot", static_cast<std::uint64_t>(lot)), fmt::format("{} Parking {}", r.pick(lot_areas), lot + 1),
                  fmt::format("{} {} Main Road, {}", r.between(1, 200), r.pick(lot_areas), city.city), city.city,
                  fmt::format("{:.6f}", city.lat + (r.unit() - 0.5) * 0.1), fmt::format("{:.6f}", city.lon + (r.unit() - 0.5) * 0.1),
                  "Asia/Kolkata", w.user_id(operator_user), w.timestamp(w.window_start() - 200 * day)});
    }
    return sink.finish();
}

std::uint64_t write_parking_slots(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "parking_slots", {"id", "lot_id", "label", "slot_type", "status", "created_at", "updated_at"},
                   static_cast<std::uint64_t>(w.lots() * w.slots_per_lot()));
    std::string created = w.timestamp(w.window_start() - 200 * day);
    for (long lot = 0; lot < w.lots(); ++lot)
        for (int s = 0; s < w.slots_per_lot(); ++s) {
            // The slot's state at the anchor follows its reservations.
            std::string status = "free";
            for (const auto& res : reservations_of(w, lot, s)) {
                if (res.status == "active") status = "occupied";
                else if (status == "free" && res.status == "confirmed" && res.starts - w.anchor() < hour) status = "reserved";
            }
            sink.row({slot_id(w, lot, s), w.uuid("lot", static_cast<std::uint64_t>(lot)), fmt::format("{}{:02}", static_cast<char>('A' + s / 10), s % 10 + 1),
                      slot_type(w, lot, s), status, created, created});
        }
    return sink.finish();
}

std::uint64_t write_reservations(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "reservations", {"id", "user_id", "slot_id", "starts_at", "ends_at", "status", "hold_expires_at", "created_at", "updated_at"},
                   static_cast<std::uint64_t>(2000L * w.scale()));
    for (long lot = 0; lot < w.lots(); ++lot)
        for (int s = 0; s < w.slots_per_lot(); ++s)
            for (const auto& res : reservations_of(w, lot, s))
                sink.row({res.id, w.user_id(res.user), slot_id(w, lot, s), w.timestamp(res.starts), w.timestamp(res.ends), res.status,
                          res.hold_expires ? pg::Value(w.timestamp(*res.hold_expires)) : std::nullopt, w.timestamp(res.created),
                          w.timestamp(res.created)});
    return sink.finish();
}

std::uint64_t write_payments(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "payments",
                   {"id", "user_id", "reservation_id", "amount_minor", "currency", "method", "card_fingerprint", "provider_ref", "status",
                    "ip", "created_at", "updated_at", "refunded_at"},
                   static_cast<std::uint64_t>(10000L * w.scale()));
    auto emit = [&](const std::string& id, long u, const pg::Value& reservation, long long amount, const std::string& method,
                    const pg::Value& fingerprint, const std::string& status, const std::string& ip, std::time_t at, Rng& r) {
        std::optional<std::time_t> refunded;
        if (status == "refunded") refunded = at + r.between(hour, 5 * day);
        std::time_t updated = refunded.value_or(at);
        sink.row({id, w.user_id(u), reservation, std::to_string(amount), "INR", method, fingerprint, "pay_" + id.substr(0, 8) + id.substr(24),
                  status, ip, w.timestamp(at), w.timestamp(updated), refunded ? pg::Value(w.timestamp(*refunded)) : std::nullopt});
    };
    auto method_of = [](Rng& r) {
        double x = r.unit();
        return std::string(x < 0.55 ? "card" : x < 0.8 ? "upi" : x < 0.9 ? "wallet" : x < 0.95 ? "coins" : "cash");
    };
    // One payment for each reservation that was used or is coming.
    for (long lot = 0; lot < w.lots(); ++lot)
        for (int s = 0; s < w.slots_per_lot(); ++s)
            for (const auto& res : reservations_of(w, lot, s)) {
                if (res.status != "completed" && res.status != "active" && res.status != "confirmed") continue;
                Rng r(w.seed(), "reservation-payment", tag(res.id));
                std::string method = method_of(r);
                long long amount = rate(slot_type(w, lot, s)) * ((res.ends - res.starts) / hour);
                emit(w.uuid("payment-r", tag(res.id)), res.user, res.id, amount, method,
                     method == "card" ? pg::Value(w.card_fingerprint(res.user, 0)) : std::nullopt, "succeeded", w.user_home_ip(res.user),
                     res.created + 60, r);
            }
    // Charging sessions paid in the app.
    for (long u = 0; u < w.users(); ++u) {
        if (!w.pays_normally(u)) continue;
        Rng r(w.seed(), "payments", static_cast<std::uint64_t>(u));
        long n = r.between(4, 12);
        std::time_t start = std::max(w.window_start(), w.user_created(u) + hour);
        for (long k = 0; k < n; ++k) {
            std::time_t at = start + static_cast<std::time_t>(r.unit() * static_cast<double>(std::max<std::time_t>(1, w.anchor() - start)));
            std::string method = method_of(r);
            double x = r.unit();
            std::string status = x < 0.95 ? "succeeded" : x < 0.99 ? "failed" : "refunded";
            if (at > w.anchor() - 600 && status == "succeeded") status = "pending";
            emit(w.uuid("payment-u", static_cast<std::uint64_t>(u) * 64 + static_cast<std::uint64_t>(k)), u, std::nullopt,
                 r.between(5000, 150000), method, method == "card" ? pg::Value(w.card_fingerprint(u, static_cast<int>(r.below(2)))) : std::nullopt,
                 status, r.chance(0.7) ? w.user_home_ip(u) : w.user_mobile_ip(u), at, r);
        }
    }
    Rng r(w.seed(), "planted-payments", 0);
    for (std::size_t k = 0; k < g.planted.payments.size(); ++k) {
        const auto& p = g.planted.payments[k];
        emit(w.uuid("payment-p", k), p.user, std::nullopt, p.amount_minor, p.method, p.fingerprint.empty() ? std::nullopt : pg::Value(p.fingerprint),
             p.status, p.ip, p.at, r);
    }
    return sink.finish();
}

}  // namespace spotctl::seed
