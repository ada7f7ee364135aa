#pragma once
// Loads fixture CSV files (one per table, named <table>.csv) into the platform schema in one
// transaction: each file goes through COPY into a staging table, then into its table in
// foreign-key order. Any bad row stops the load with file:line:column and nothing is committed.
#include <filesystem>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::seed {

enum class OnConflict { skip, update, error };
OnConflict parse_on_conflict(const std::string& text);

struct LoadOptions {
    std::filesystem::path dir = "seeds";
    std::vector<std::string> only;  // tables; empty: every file found
    OnConflict on_conflict = OnConflict::skip;
    bool allow_production = false;
    bool dry_run = false;  // load, report, roll back
};

struct TableLoad {
    std::string table;
    std::string file;
    long long rows = 0;
    long long inserted = 0;
    long long updated = 0;
    long long skipped = 0;
};

// --dir if given; else ./seeds; else the installed demo data set.
std::filesystem::path resolve_seeds_dir(const std::string& configured);

std::vector<TableLoad> load_fixtures(Context& ctx, const LoadOptions& options);

}  // namespace spotctl::seed
