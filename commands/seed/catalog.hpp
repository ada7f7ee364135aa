#pragma once
// What seeding needs to know about the platform's tables, read from PostgreSQL's catalog:
// their columns, primary keys and the foreign-key order to fill them in.
#include <optional>
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::seed {

struct ColumnInfo {
    std::string name;
    std::string type;
    bool identity_always = false;
};

struct TableInfo {
    std::string name;
    std::vector<ColumnInfo> columns;
    std::vector<std::string> primary_key;

    const ColumnInfo* column(const std::string& name) const;
};

// The platform's tables (public schema, not spotctl's own), parents before children.
std::vector<std::string> tables_in_dependency_order(pg::Connection& db);
TableInfo describe_table(pg::Connection& db, const std::string& table);

}  // namespace spotctl::seed
