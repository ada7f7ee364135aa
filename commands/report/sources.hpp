#pragma once
// The tables each report reads, by the time column its window applies to: when a report's
// window holds none of their rows, `report run` says where the data lies (core/data_extent).
// Kept beside the catalog rather than in it, one list per report name.
#include <string_view>
#include <vector>

#include "core/data_extent.hpp"

namespace spotctl::report {

// Empty for a name the catalog does not know.
const std::vector<DataSource>& sources_of(std::string_view report);

}  // namespace spotctl::report
