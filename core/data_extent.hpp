#pragma once
// When a command's window finds nothing, whether that is because the window holds no data:
// how many rows of the tables the command reads fall inside it, and the oldest and newest rows
// at all ("the data runs from 2026-10-01T08:00:00Z to 2026-11-20T21:14:09Z" rather than a bare
// "0 finding(s)"). `fraud scan`, `fraud backtest` and `report run` say it.
#include <string>
#include <vector>

#include "core/pg.hpp"

namespace spotctl {

// A table a command reads, by its time column. Names are the program's own, never typed in.
struct DataSource {
    std::string table;
    std::string time_column;
    std::string rows;  // what its rows are called: "payments", "login attempts"
};

struct DataExtent {
    long long inside = 0;  // rows of every source in [from, to)
    // "the window holds 0 login attempts, 0 payments; the data runs from OLDEST to NEWEST", or
    // "...: the tables read are empty".
    std::string text;
};

// `from` and `to` are instants PostgreSQL reads as timestamptz.
DataExtent data_extent(pg::Connection& db, const std::vector<DataSource>& sources, const std::string& from, const std::string& to);

// Whether any source has a row in [from, to): a cheap probe (it stops at the first row) for a
// command that explains only an empty window.
bool holds_rows(pg::Connection& db, const std::vector<DataSource>& sources, const std::string& from, const std::string& to);

}  // namespace spotctl
