#include "core/audit.hpp"

#include <unistd.h>

#include "core/build_info.hpp"

namespace spotctl::audit {

std::string client_host() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

long long record(pg::Transaction& tx, const Entry& e) {
    auto r = tx.exec(
        "INSERT INTO audit_log (actor_id, actor_email, action, subject_type, subject_id, before, after, reason, client_host, "
        "spotctl_version) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10) RETURNING id",
        pg::params(e.actor_id, e.actor_email.empty() ? std::nullopt : pg::Value(e.actor_email), e.action,
                   e.subject_type.empty() ? std::nullopt : pg::Value(e.subject_type),
                   e.subject_id.empty() ? std::nullopt : pg::Value(e.subject_id), e.before, e.after,
                   e.reason.empty() ? std::nullopt : pg::Value(e.reason), client_host(), std::string(build::version)));
    return r[0].integer("id");
}

std::size_t record_rows(pg::Transaction& tx, std::string_view select_sql, pg::Params params) {
    std::size_t n = params.size();
    params.push_back(client_host());
    params.push_back(std::string(build::version));
    std::string sql =
        "INSERT INTO audit_log (actor_id, actor_email, action, subject_type, subject_id, before, after, reason, client_host, "
        "spotctl_version) SELECT s.*, $" + std::to_string(n + 1) + "::text, $" + std::to_string(n + 2) + "::text FROM (" +
        std::string(select_sql) + ") s";
    return tx.exec(sql, params).affected_rows();
}

}  // namespace spotctl::audit
