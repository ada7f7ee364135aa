#pragma once
// Streams generated rows into one table through COPY, with progress on a terminal.
#include <initializer_list>
#include <string>
#include <vector>

#include "core/pg.hpp"
#include "core/progress.hpp"

namespace spotctl::seed {

class TableSink {
public:
    TableSink(pg::Transaction& tx, const std::string& table, const std::vector<std::string>& columns, std::uint64_t expected)
        : copy_(tx.copy_in(table, columns)), progress_("generating " + table, expected), width_(columns.size()) {}

    void row(std::initializer_list<pg::Value> values) {
        pointers_.clear();
        for (const auto& v : values) pointers_.push_back(v ? v->c_str() : nullptr);
        pointers_.resize(width_, nullptr);
        copy_.row(pointers_);
        progress_.advance();
    }
    std::uint64_t finish() {
        copy_.finish();
        progress_.finish();
        return progress_.count();
    }

private:
    pg::CopyIn copy_;
    Progress progress_;
    std::size_t width_;
    std::vector<const char*> pointers_;
};

}  // namespace spotctl::seed
