#include "commands/report/totals.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::report {
namespace {

struct Spec {
    std::string_view report;
    std::vector<std::string_view> sums;
    std::string_view by;
};

// The columns that are sums over a report's rows. Left out: levels at the end of a period
// (active_chargers, total_users, outstanding, open_at_end, slots), distinct counts (active_users),
// rates, medians and the hours a period has.
const std::vector<Spec>& specs() {
    static const std::vector<Spec> all = {
        {"revenue", {"payments", "gross", "refunds", "net"}, "currency"},
        {"usage", {"reservations", "reserved_hours"}, ""},
        {"charging", {"verifications", "available", "occupied", "broken", "not_found"}, ""},
        {"growth", {"new_users", "chargers_added"}, ""},
        {"coins", {"awarded", "add_charger", "verify_charger", "upload_photo", "review", "redeemed", "adjustments", "reversals", "net"}, ""},
        {"coin-earners", {"awarded", "redeemed", "balance"}, ""},
        {"moderation", {"queued", "decided", "approved", "rejected", "escalated"}, ""},
        {"moderators", {"decisions", "approved", "rejected", "escalated"}, ""},
        {"fraud", {"alerts", "open", "confirmed", "dismissed", "coins_reversed"}, ""},
        {"impact", {"reservations", "charger_checks", "search_hours_saved", "km_avoided", "fuel_litres_saved", "co2_kg_saved"}, ""},
    };
    return all;
}

void check(bool overflow) {
    if (overflow) throw Error(Exit::internal, "a report total does not fit in 64 bits");
}

long long times_ten(long long v, int times) {
    for (int i = 0; i < times; ++i) check(__builtin_mul_overflow(v, 10LL, &v));
    return v;
}

}  // namespace

void Totals::Sum::add(const std::string& number) {
    // A plain decimal as PostgreSQL writes integer and numeric: [-]digits[.digits].
    std::size_t dot = number.find('.');
    std::string digits = number.substr(0, dot);
    int places = 0;
    if (dot != std::string::npos) {
        digits += number.substr(dot + 1);
        places = static_cast<int>(number.size() - dot - 1);
    }
    long long v = 0;
    std::size_t used = 0;
    try {
        v = std::stoll(digits, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (digits.empty() || used != digits.size())
        throw Error(Exit::internal, fmt::format("a report total: '{}' is not a number", number));
    if (places > scale) {
        units = times_ten(units, places - scale);
        scale = places;
    }
    v = times_ten(v, scale - places);
    check(__builtin_add_overflow(units, v, &units));
}

std::string Totals::Sum::text() const {
    std::string digits = std::to_string(units < 0 ? -units : units);
    if (scale > 0) {
        if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
        digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
    }
    return (units < 0 ? "-" : "") + digits;
}

Totals::Totals(std::string_view report, const std::vector<exporters::Column>& columns) : columns_(columns.size()) {
    auto spec = std::find_if(specs().begin(), specs().end(), [&](const Spec& s) { return s.report == report; });
    if (spec == specs().end()) return;
    for (std::size_t i = 1; i < columns.size(); ++i) {
        if (std::find(spec->sums.begin(), spec->sums.end(), columns[i].name) != spec->sums.end()) summed_.push_back(i);
        if (columns[i].name == spec->by) by_ = i;
    }
}

void Totals::add(const std::vector<exporters::Cell>& cells) {
    std::string key = by_ && cells[*by_] ? *cells[*by_] : std::string();
    auto [it, fresh] = sums_.try_emplace(key, columns_);
    if (fresh) keys_.push_back(key);
    for (std::size_t i : summed_)
        if (cells[i]) it->second[i].add(*cells[i]);
}

std::vector<std::vector<exporters::Cell>> Totals::rows() const {
    std::vector<std::vector<exporters::Cell>> out;
    for (const auto& key : keys_) {
        std::vector<exporters::Cell> row(columns_);
        row[0] = total_marker;
        if (by_) row[*by_] = key;
        for (std::size_t i : summed_) row[i] = sums_.at(key)[i].text();
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace spotctl::report
