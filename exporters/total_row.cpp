#include "exporters/total_row.hpp"

namespace spotctl::exporters {

void write_total(RowWriter& writer, const std::vector<Cell>& cells) {
    if (auto* totals = dynamic_cast<TotalRows*>(&writer)) totals->total(cells);
    else writer.row(cells);
}

}  // namespace spotctl::exporters
