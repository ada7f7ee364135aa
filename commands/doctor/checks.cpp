#include "commands/doctor/checks.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace spotctl::doctor {

const std::vector<Check>& all_checks() {
    static const std::vector<Check> checks = [] {
        std::vector<Check> out;
        for (auto part : {ledger_checks, data_checks, cache_checks, schema_checks})
            for (auto& c : part()) out.push_back(std::move(c));
        return out;
    }();
    return checks;
}

const Check& find_check(std::string_view name) {
    for (const auto& c : all_checks())
        if (c.name == name) return c;
    std::string names;
    for (const auto& c : all_checks()) names += (names.empty() ? "" : ", ") + c.name;
    throw Error(Exit::usage, fmt::format("unknown check '{}'", name), fmt::format("known checks: {} (see 'spotctl doctor --list')", names));
}

Check sql_check(std::string name, std::string area, std::string finds, std::string repair, std::string decide, std::string sql,
                pg::Params params) {
    Check c{std::move(name), std::move(area), std::move(finds), std::move(repair), std::move(decide), false, {}, sql};
    c.run = [sql = std::move(sql), params = std::move(params)](Environment& env) { return sql_finding(env.db, sql, params); };
    return c;
}

Finding sql_finding(pg::Connection& db, std::string_view found_sql, const pg::Params& params) {
    // MATERIALIZED: the count and the sample read one evaluation of the query.
    std::string sql = fmt::format(
        "WITH found AS MATERIALIZED ({}) "
        "SELECT (SELECT count(*) FROM found) AS n, "
        "       (SELECT coalesce(jsonb_agg(id ORDER BY id), '[]') FROM (SELECT id FROM found ORDER BY id LIMIT {}) s) AS sample",
        found_sql, sample_size);
    auto r = db.exec(sql, params);
    Finding f;
    f.rows = static_cast<std::uint64_t>(r[0].integer("n"));
    for (const auto& id : nlohmann::json::parse(r[0].str("sample"))) f.sample.push_back(id.get<std::string>());
    return f;
}

Finding finding_of(std::vector<std::string> ids, std::string note) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    Finding f;
    f.rows = ids.size();
    f.sample.assign(ids.begin(), ids.begin() + static_cast<long>(std::min(ids.size(), sample_size)));
    f.note = std::move(note);
    return f;
}

}  // namespace spotctl::doctor
