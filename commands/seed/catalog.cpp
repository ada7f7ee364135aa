#include "commands/seed/catalog.hpp"

#include <map>
#include <set>

namespace spotctl::seed {

const ColumnInfo* TableInfo::column(const std::string& n) const {
    for (const auto& c : columns)
        if (c.name == n) return &c;
    return nullptr;
}

std::vector<std::string> tables_in_dependency_order(pg::Connection& db) {
    auto tables = db.exec(R"(
SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname NOT LIKE 'spotctl\_%'
 ORDER BY 1)");
    auto edges = db.exec(R"(
SELECT child.relname AS child, parent.relname AS parent
  FROM pg_constraint k
  JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
  JOIN pg_namespace n ON n.oid = child.relnamespace
 WHERE k.contype = 'f' AND n.nspname = 'public' AND k.conrelid <> k.confrelid)");
    std::map<std::string, std::set<std::string>> parents;
    for (auto t : tables) parents[t.str("name")];
    for (auto e : edges)
        if (parents.count(e.str("child")) && parents.count(e.str("parent"))) parents[e.str("child")].insert(e.str("parent"));
    // Kahn's algorithm; ties broken by name so the order is stable.
    std::vector<std::string> order;
    std::set<std::string> done;
    while (order.size() < parents.size()) {
        bool progressed = false;
        for (const auto& [table, deps] : parents) {
            if (done.count(table)) continue;
            bool ready = true;
            for (const auto& d : deps) ready = ready && done.count(d);
            if (!ready) continue;
            order.push_back(table);
            done.insert(table);
            progressed = true;
        }
        if (!progressed) {  // a cycle: append the rest in name order
            for (const auto& [table, deps] : parents)
                if (!done.count(table)) order.push_back(table), done.insert(table);
        }
    }
    return order;
}

TableInfo describe_table(pg::Connection& db, const std::string& table) {
    TableInfo info;
    info.name = table;
    auto columns = db.exec(R"(
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity = 'a' AS identity_always
  FROM pg_attribute a
 WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum)",
                           pg::params(table));
    for (auto c : columns) info.columns.push_back({c.str("name"), c.str("type"), c.boolean("identity_always")});
    auto pk = db.exec(R"(
SELECT a.attname AS name
  FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
 WHERE i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary
 ORDER BY array_position(i.indkey::int2[], a.attnum))",
                      pg::params(table));
    for (auto k : pk) info.primary_key.push_back(k.str("name"));
    return info;
}

}  // namespace spotctl::seed
