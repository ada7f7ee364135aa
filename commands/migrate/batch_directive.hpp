#pragma once
// A migration that changes many rows without holding them all in one long transaction. Its up
// file's header names the table and an integer key:
//   -- spotctl:batch table=users key=id target=200ms size=1000 min=100 max=100000
// and its body is one UPDATE or DELETE (a WITH before it allowed) that limits itself to the key
// range from $1 (inclusive) to $2 (exclusive). spotctl runs it range after range, each in its
// own short transaction, sizing the ranges to take about `target` each.
#include <optional>
#include <string>

#include "core/duration.hpp"

namespace spotctl::migrate {

inline constexpr std::string_view batch_marker = "-- spotctl:batch";

struct BatchDirective {
    std::string table;     // "users" or "schema.users": lowercase identifiers
    std::string key;       // an integer column
    Millis target{200};    // how long one batch should take
    long long size = 1000;       // the first batch's width, in key values
    long long min_size = 10;     // the bounds the width stays within
    long long max_size = 100000;
    std::string statement;  // the one statement of the body, run with $1 and $2
};

// The directive of a script whose header comment holds one; nullopt otherwise. A malformed
// directive, or a body that is not one UPDATE or DELETE using $1 and $2, is Error(Exit::data)
// naming `where` (the file) and the line.
std::optional<BatchDirective> parse_batch_directive(const std::string& sql, const std::string& where);

// The next batch's width from how long the last one took: scaled by target/took, by at most a
// factor of two either way, within [min_size, max_size].
long long next_batch_size(const BatchDirective& d, long long size, Millis took);

}  // namespace spotctl::migrate
