#include "commands/fraud/data_extent.hpp"

namespace spotctl::fraud {
namespace {

// The tables every rule reads its events from (see rules.cpp).
const std::vector<DataSource>& rule_sources() {
    static const std::vector<DataSource> sources = {
        {"login_attempts", "created_at", "login attempts"},
        {"charger_verifications", "created_at", "verifications"},
        {"payments", "created_at", "payments"},
    };
    return sources;
}

}  // namespace

std::string data_extent(pg::Connection& db, const ResolvedWindow& w) { return spotctl::data_extent(db, rule_sources(), w.from, w.to).text; }

}  // namespace spotctl::fraud
