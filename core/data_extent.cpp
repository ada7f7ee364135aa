#include "core/data_extent.hpp"

#include <fmt/format.h>

namespace spotctl {

DataExtent data_extent(pg::Connection& db, const std::vector<DataSource>& sources, const std::string& from, const std::string& to) {
    std::string sql;
    for (const auto& s : sources) {
        std::string column = db.quote_name(s.time_column), table = db.quote_name(s.table);
        // Subqueries rather than one scan with FILTER: each can use an index on the column.
        sql += fmt::format(
            "{0}SELECT {3} AS ord, (SELECT count(*) FROM {2} WHERE {1} >= $1::timestamptz AND {1} < $2::timestamptz) AS inside, "
            "(SELECT to_char(min({1}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM {2}) AS oldest, "
            "(SELECT to_char(max({1}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM {2}) AS newest",
            sql.empty() ? "" : " UNION ALL ", column, table, &s - sources.data());
    }
    auto r = db.exec(sql + " ORDER BY ord", pg::params(from, to));
    DataExtent extent;
    std::string counts, oldest, newest;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        extent.inside += r[i].integer("inside");
        counts += fmt::format("{}{} {}", i ? ", " : "", r[i].str("inside"), sources[i].rows);
        if (r[i].is_null("oldest")) continue;  // ISO 8601 UTC text sorts as time does
        if (oldest.empty() || r[i].str("oldest") < oldest) oldest = r[i].str("oldest");
        if (newest.empty() || r[i].str("newest") > newest) newest = r[i].str("newest");
    }
    extent.text = oldest.empty() ? fmt::format("the window holds {}: the tables read are empty", counts)
                                 : fmt::format("the window holds {}; the data runs from {} to {}", counts, oldest, newest);
    return extent;
}

bool holds_rows(pg::Connection& db, const std::vector<DataSource>& sources, const std::string& from, const std::string& to) {
    std::string sql;
    for (const auto& s : sources)
        sql += fmt::format("{0}EXISTS (SELECT 1 FROM {2} WHERE {1} >= $1::timestamptz AND {1} < $2::timestamptz)",
                           sql.empty() ? "SELECT " : " OR ", db.quote_name(s.time_column), db.quote_name(s.table));
    return !sql.empty() && db.exec(sql + " AS found", pg::params(from, to))[0].boolean("found");
}

}  // namespace spotctl
