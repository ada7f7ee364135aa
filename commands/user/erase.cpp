#include "commands/user/erase.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/errors.hpp"

namespace spotctl::user {
namespace {

constexpr const char* fields_sql = R"(SELECT status, email IS NOT NULL AS email, name IS NOT NULL AS name,
       phone IS NOT NULL AS phone, password_hash IS NOT NULL AS password_hash
  FROM users WHERE id = $1::uuid FOR UPDATE)";

constexpr const char* erase_sql = R"(WITH sessions AS (DELETE FROM user_sessions WHERE user_id = $1::uuid RETURNING token_hash),
     notifications AS (DELETE FROM notifications WHERE user_id = $1::uuid RETURNING 1),
     profile_changes AS (DELETE FROM profile_changes WHERE user_id = $1::uuid RETURNING 1),
     risk_profile AS (DELETE FROM user_risk_profiles WHERE user_id = $1::uuid RETURNING 1),
     login_attempts AS (UPDATE login_attempts SET user_id = NULL, email = NULL WHERE user_id = $1::uuid RETURNING 1),
     payment_ips AS (UPDATE payments SET ip = NULL WHERE user_id = $1::uuid AND ip IS NOT NULL RETURNING 1),
     verification_locations AS (UPDATE charger_verifications SET latitude = NULL, longitude = NULL
                                 WHERE user_id = $1::uuid AND latitude IS NOT NULL RETURNING 1),
     account AS (UPDATE users SET status = 'deleted', suspended_until = NULL,
                        email = NULL, name = NULL, phone = NULL, password_hash = NULL
                  WHERE id = $1::uuid RETURNING 1)
SELECT (SELECT count(*) FROM sessions) AS sessions,
       (SELECT coalesce(string_agg(token_hash, ',' ORDER BY token_hash), '') FROM sessions) AS session_token_hashes,
       (SELECT count(*) FROM notifications) AS notifications,
       (SELECT count(*) FROM profile_changes) AS profile_changes,
       (SELECT count(*) FROM risk_profile) AS risk_profile,
       (SELECT count(*) FROM login_attempts) AS login_attempts,
       (SELECT count(*) FROM payment_ips) AS payment_ips,
       (SELECT count(*) FROM verification_locations) AS verification_locations,
       (SELECT count(*) FROM account) AS account)";

const char* const personal_fields[] = {"email", "name", "phone", "password_hash"};

}  // namespace

Erased erase_personal_data(pg::Transaction& tx, const std::string& user_id) {
    auto cur = tx.exec(fields_sql, pg::params(user_id));
    if (cur.empty()) throw Error(Exit::data, fmt::format("no user with id '{}'", user_id));
    Erased e;
    e.old_status = cur[0].str("status");
    for (const char* f : personal_fields)
        if (cur[0].boolean(f)) e.fields_set.emplace_back(f);
    auto result = tx.exec(erase_sql, pg::params(user_id));
    auto r = result[0];
    e.sessions = r.integer("sessions");
    // Hex digests (a CHECK keeps them so): a comma cannot occur in one.
    const std::string hashes = r.str("session_token_hashes");
    for (std::string_view rest = hashes; !rest.empty();) {
        auto comma = rest.find(',');
        e.session_token_hashes.emplace_back(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    e.notifications = r.integer("notifications");
    e.profile_changes = r.integer("profile_changes");
    e.risk_profile = r.integer("risk_profile");
    e.login_attempts = r.integer("login_attempts");
    e.payment_ips = r.integer("payment_ips");
    e.verification_locations = r.integer("verification_locations");
    e.account = r.integer("account");
    return e;
}

std::string audit_before(const Erased& e) {
    nlohmann::json before = {{"status", e.old_status}, {"fields_set", e.fields_set}};
    return before.dump();
}

std::string audit_after(const Erased& e) {
    nlohmann::json after = {{"status", "deleted"}, {"email", nullptr}, {"name", nullptr}, {"phone", nullptr}, {"password_hash", nullptr}};
    after["sessions_deleted"] = e.sessions;
    after["notifications_deleted"] = e.notifications;
    after["profile_changes_deleted"] = e.profile_changes;
    after["risk_profile_deleted"] = e.risk_profile;
    after["login_attempts_unlinked"] = e.login_attempts;
    after["payment_ips_cleared"] = e.payment_ips;
    after["verification_locations_cleared"] = e.verification_locations;
    return after.dump();
}

}  // namespace spotctl::user
