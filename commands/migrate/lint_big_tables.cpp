#include "commands/migrate/lint_big_tables.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <regex>

#include "core/sql_splitter.hpp"

namespace spotctl::migrate {
namespace {

// A name part: plain (folded to lowercase, as PostgreSQL does) or double-quoted (kept).
std::string name_part(const std::string& part) {
    if (part.size() >= 2 && part.front() == '"') return part.substr(1, part.size() - 2);
    std::string out = part;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

std::vector<DataChange> data_changes(std::string_view script) {
    static const std::regex change(R"(^(UPDATE|DELETE\s+FROM)\s+(ONLY\s+)?("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)(\s*\.\s*("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*))?)",
                                   std::regex::icase);
    std::vector<DataChange> out;
    for (const auto& st : sql::split(script)) {
        std::smatch m;
        if (!std::regex_search(st.text, m, change)) continue;
        std::string verb = m[1].str().substr(0, 6);
        std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
        std::string table = name_part(m[3].str());
        if (m[5].matched) table += "." + name_part(m[5].str());
        out.push_back({st.line, verb, table});
    }
    return out;
}

std::vector<LintFinding> lint_big_tables(pg::Connection& db, std::string_view script, long long big_rows) {
    std::vector<LintFinding> findings;
    for (const auto& change : data_changes(script)) {
        // quote_ident per part, so that to_regclass reads the name as the statement does.
        auto rows = db.exec("SELECT c.reltuples::bigint AS estimate FROM pg_class c "
                            "WHERE c.oid = to_regclass(array_to_string(ARRAY(SELECT quote_ident(p) FROM unnest(string_to_array($1, '.')) p), '.'))",
                            pg::params(change.table));
        if (rows.empty() || rows[0].is_null("estimate")) continue;
        long long estimate = rows[0].integer("estimate");
        if (estimate <= big_rows) continue;
        findings.push_back(
            {"unbatched-data-change", change.line,
             fmt::format("{} of table {} (about {} rows, by pg_class.reltuples) runs as one transaction: every row it "
                         "changes stays locked, and vacuum and replicas wait on its snapshot, until it ends",
                         change.verb, change.table, estimate),
             fmt::format("make it a batched migration, one statement limited to keys $1..$2 under a header line "
                         "`-- spotctl:batch table={} key=id` (see spotctl-migrate(1))",
                         change.table)});
    }
    return findings;
}

}  // namespace spotctl::migrate
