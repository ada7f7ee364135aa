#pragma once
// A totals row after a report's rows (commands/report/totals.hpp): a row like the others for
// table and CSV; a writer that draws (the PDF) sets it apart, bold and kept out of the chart, by
// implementing TotalRows.
#include <vector>

#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

class TotalRows {
public:
    virtual ~TotalRows() = default;
    virtual void total(const std::vector<Cell>& cells) = 0;
};

// writer's total() when it has one, else row().
void write_total(RowWriter& writer, const std::vector<Cell>& cells);

}  // namespace spotctl::exporters
