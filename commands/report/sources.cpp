#include "commands/report/sources.hpp"

#include <map>
#include <string>

namespace spotctl::report {

const std::vector<DataSource>& sources_of(std::string_view report) {
    const DataSource payments{"payments", "created_at", "payments"};
    const DataSource reservations{"reservations", "starts_at", "reservations"};
    const DataSource verifications{"charger_verifications", "created_at", "verifications"};
    const DataSource ledger{"coin_transactions", "created_at", "coin transactions"};
    static const std::map<std::string, std::vector<DataSource>, std::less<>> sources = {
        {"revenue", {payments}},
        {"usage", {reservations}},
        {"charging", {verifications}},
        {"growth", {{"users", "created_at", "new users"}, {"login_attempts", "created_at", "logins"}, {"chargers", "created_at", "chargers added"}}},
        {"coins", {ledger}},
        {"coin-earners", {ledger}},
        {"moderation", {{"moderation_items", "created_at", "moderation items"}}},
        {"moderators", {{"moderation_items", "decided_at", "decisions"}}},
        {"fraud", {{"fraud_alerts", "created_at", "fraud alerts"}}},
        {"impact", {reservations, verifications}},
    };
    static const std::vector<DataSource> none;
    auto it = sources.find(report);
    return it == sources.end() ? none : it->second;
}

}  // namespace spotctl::report
