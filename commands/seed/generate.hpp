#pragma once
// `spotctl seed generate`: deterministic synthetic data for the whole schema at any scale,
// streamed through COPY in bounded memory.
#include <cstdint>
#include <string>
#include <vector>

#include "core/context.hpp"

namespace spotctl::seed {

struct GenerateOptions {
    int scale = 1;
    std::uint64_t seed = 1;
    std::string anchor = "2026-11-01";  // the end of the data's activity window; "now" for a live demo
    std::vector<std::string> only;      // tables; empty: all
    bool allow_production = false;
};

// Every table generate can fill, in the order it fills them.
const std::vector<std::string>& generated_tables();

// "2026-11-01", "2026-11-01T12:00:00Z" or "now"; Error(Exit::usage) otherwise.
std::int64_t parse_anchor(const std::string& text);

int generate(Context& ctx, const GenerateOptions& options);

}  // namespace spotctl::seed
