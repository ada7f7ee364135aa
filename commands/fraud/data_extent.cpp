#include "commands/fraud/data_extent.hpp"

#include <fmt/format.h>

namespace spotctl::fraud {
namespace {

// The tables every rule reads its events from (see rules.cpp), with the word for their rows.
const std::string extent_sql = R"(WITH t AS (
  SELECT 'login attempts' AS what, 1 AS ord, count(*) FILTER (WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz) AS inside,
         min(created_at) AS oldest, max(created_at) AS newest FROM login_attempts
  UNION ALL
  SELECT 'verifications', 2, count(*) FILTER (WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz),
         min(created_at), max(created_at) FROM charger_verifications
  UNION ALL
  SELECT 'payments', 3, count(*) FILTER (WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz),
         min(created_at), max(created_at) FROM payments)
SELECT string_agg(inside || ' ' || what, ', ' ORDER BY ord) AS inside,
       to_char(min(oldest) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS oldest,
       to_char(max(newest) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS newest
  FROM t)";

}  // namespace

std::string data_extent(pg::Connection& db, const ResolvedWindow& w) {
    auto r = db.exec(extent_sql, pg::params(w.from, w.to));
    if (r[0].is_null("oldest")) return fmt::format("the window holds {}: the tables the rules read are empty", r[0].str("inside"));
    return fmt::format("the window holds {}; the data runs from {} to {}", r[0].str("inside"), r[0].str("oldest"), r[0].str("newest"));
}

}  // namespace spotctl::fraud
