#pragma once
// What `moderate tui` shows beside an item, besides `moderate show`'s document: the subject
// owner's record (earlier moderation outcomes, account status, fraud risk, open fraud alerts)
// and the reporter's (how many of their reports were upheld).
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::moderate {

struct ItemContext {
    std::string owner_email, owner_status;
    std::string risk_score;       // user_risk_profiles.score; empty when never scored
    long long open_alerts = 0;    // fraud_alerts about the owner still open
    long long owner_approved = 0, owner_rejected = 0, owner_escalated = 0;  // earlier items about their things
    long long reports_upheld = 0, reports_decided = 0;  // the reporter's decided reports; upheld = rejected subject
};

ItemContext item_context(pg::Connection& db, const std::string& item_id);

}  // namespace spotctl::moderate
