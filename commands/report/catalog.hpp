#pragma once
// The reports `spotctl report run` knows, and the tables `spotctl report export` may read:
// fixed SQL text and fixed column lists. Nothing the user types becomes part of SQL: report
// and table names pick an entry here, every value travels as a parameter.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/row_writer.hpp"

namespace spotctl::report {

enum Filter : unsigned { none = 0, city = 1, lot = 2 };

struct Report {
    std::string_view name;
    std::string_view title;
    std::string_view description;
    bool over_time;                      // one row per period (--by); charted
    unsigned filters;                    // which of --city / --lot it accepts
    bool top;                            // takes --top N
    std::vector<exporters::Column> columns;
    std::string sql;                     // $1 from, $2 to, $3 zone, $4 unit, $5 cities, $6 lots (+ extra)
    std::optional<exporters::Chart> chart;
    std::vector<std::string> notes;      // printed under the PDF table
};

const std::vector<Report>& reports();
// Error(Exit::usage) naming the known reports for anything else.
const Report& find_report(std::string_view name);

// The impact report's constants (documented in spotctl-report(1)).
struct ImpactConstants {
    double search_minutes_per_reservation = 10;  // time a driver spends cruising for a space
    double search_minutes_per_charger_check = 5; // detour avoided when a charger's status is known
    double cruising_speed_kmh = 15;              // urban search-for-parking speed
    double fuel_litres_per_km = 0.075;           // 7.5 l/100 km, a petrol car in town
    double co2_kg_per_litre = 2.31;              // petrol combustion
};
inline constexpr ImpactConstants impact_constants{};

struct ExportTable {
    std::string_view name;
    std::string_view time_column;  // the --from/--to range applies to it
    std::vector<exporters::Column> columns;
};

const std::vector<ExportTable>& export_tables();
const ExportTable& find_export_table(std::string_view name);

}  // namespace spotctl::report
