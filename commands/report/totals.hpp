#pragma once
// The totals row of a report (table, CSV and PDF output): "TOTAL" in the first column and, in
// each column that is a sum over the rows (payments, coins, reservations; not a rate, a median or
// a level such as outstanding coins), the sum of that column, exact to the last decimal place.
// A report with a `by` column (revenue: currency) gets one totals row per value of it, since
// amounts in two currencies do not add up.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/row_writer.hpp"

namespace spotctl::report {

// What the first column of a totals row holds, so a script can drop it (`grep -v '^TOTAL,'`).
inline constexpr const char* total_marker = "TOTAL";

class Totals {
public:
    Totals(std::string_view report, const std::vector<exporters::Column>& columns);
    // False for a report none of whose columns is a sum.
    bool applies() const { return !summed_.empty(); }
    void add(const std::vector<exporters::Cell>& cells);
    // One row per value of the `by` column (one row without one), in the order they first came;
    // none when no row was added.
    std::vector<std::vector<exporters::Cell>> rows() const;

private:
    struct Sum {
        long long units = 0;  // the value times 10^scale
        int scale = 0;        // decimal places
        void add(const std::string& number);
        std::string text() const;
    };
    std::size_t columns_ = 0;
    std::vector<std::size_t> summed_;
    std::optional<std::size_t> by_;
    std::vector<std::string> keys_;                  // values of `by`, in order
    std::map<std::string, std::vector<Sum>> sums_;  // per value of `by`
};

}  // namespace spotctl::report
