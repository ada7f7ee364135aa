#pragma once
// Labelled fraud planted in the synthetic data, one instance per group of actor users: for
// every fraud rule a pattern above its threshold, a near-miss just under it, and a legitimate
// look-alike that must not be flagged. The labels go to spotctl_seed_truth so that the rules
// can be measured for precision and recall.
#include <ctime>
#include <string>
#include <vector>

#include "commands/seed/world.hpp"

namespace spotctl::seed {

struct PlantedLogin {
    long user;           // -1: an address that has no account
    std::string email;
    std::string ip;
    bool success;
    std::time_t at;
    double lat, lon;
    std::string country;
    std::string agent;
};

struct PlantedVerification {
    long user;
    long charger;
    std::time_t at;
};

struct PlantedReview {
    long user;
    long charger;
    std::time_t at;
};

struct PlantedPayment {
    long user;
    std::string method;
    std::string fingerprint;  // cards only
    std::string status;       // succeeded, failed, refunded
    long long amount_minor;
    std::time_t at;
    std::string ip;
};

struct Truth {
    std::string rule;
    std::string subject_type;  // user, ip, card
    std::string subject_id;
    std::string label;         // fraud, near_miss, lookalike
    std::time_t from, to;
    std::string note;
};

struct Planted {
    std::vector<PlantedLogin> logins;
    std::vector<PlantedVerification> verifications;
    std::vector<PlantedReview> reviews;
    std::vector<PlantedPayment> payments;
    std::vector<Truth> truth;
};

Planted plant_fraud(const World& w);

// The ip_blacklist rows: active ranges (IPv4 and IPv6) and one expired.
struct BlacklistEntry {
    std::string cidr;
    std::string reason;
    bool expired;
};
const std::vector<BlacklistEntry>& blacklist_entries();

}  // namespace spotctl::seed
