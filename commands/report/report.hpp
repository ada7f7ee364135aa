#pragma once
// `spotctl report`: the platform's reports (list, run) and raw table exports for finance, as
// table, CSV, JSON or PDF. Read-only: runs on a replica when one is configured. Output files
// are written atomically with mode 0640 (they hold personal data); a failure leaves no file.
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::report {

struct Options {
    std::string from;          // YYYY-MM-DD or today, yesterday, month-start, last-month-start, last-month-end
    std::string to;            // inclusive; default yesterday
    std::string by = "day";    // day, week, month
    std::string tz = "UTC";    // IANA zone the dates and periods are in
    std::vector<std::string> cities;
    std::vector<std::string> lots;  // id or exact name
    long top = 10;             // coin-earners
    bool top_given = false;
    std::string output_file;   // "" or "-": standard output
    bool raw = false;          // CSV without the formula guard
    bool totals = true;        // run: the totals row (commands/report/totals.hpp) in table, CSV and PDF
    bool manifest = false;     // NAME.manifest.json beside the file
    std::string replica_url;   // run on this server instead of --database-url
};

int list(Context& ctx);
int run(Context& ctx, const std::string& name, const Options& options);
int export_table(Context& ctx, const std::string& table, const Options& options);

}  // namespace spotctl::report
