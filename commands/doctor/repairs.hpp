#pragma once
// The safe repairs, by the name of the check whose findings they repair. Each runs in batches,
// each batch one transaction with its audit row (the ledger's: one per compensating row), and
// finds its work again from the data, so running it twice changes nothing the second time.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "commands/doctor/doctor.hpp"

namespace spotctl::doctor {

struct RepairRun {
    Context& ctx;
    pg::Connection& db;
    const RepairOptions& options;
};

struct Repaired {
    std::uint64_t rows = 0;     // rows, keys or objects changed
    std::uint64_t batches = 0;  // transactions committed (and audit rows written for them)
    std::vector<std::string> left;  // what the repair could not change (a person decides)
    std::string note;
};

using RepairFunction = std::function<Repaired(RepairRun&)>;
// nullptr when the check has no safe repair.
const RepairFunction* find_repair(const std::string& check);

}  // namespace spotctl::doctor
