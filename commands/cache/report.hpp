#pragma once
// What the cache commands that scan have in common when they report: sizes, throughput, how a
// scan ended and where to resume it, as text and as JSON fields.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "commands/cache/cache.hpp"
#include "commands/cache/scanner.hpp"

namespace spotctl::cache {

// "812 B", "61.0 KiB", "1.2 GiB".
std::string format_bytes(std::uint64_t bytes);
// " in 1.612s (310123 keys/s)" for `keys` handled over the outcome's elapsed time.
std::string format_speed(std::uint64_t keys, const ScanOutcome& outcome);
// Why a scan stopped early and how to go on; empty when it completed.
std::string stop_note(const ScanOutcome& outcome, const ScanLimits& limits);
// complete, stopped_by, resume_cursor, scanned, duration_ms.
void add_outcome(nlohmann::json& report, const ScanOutcome& outcome);
// 0, or 128 + the signal that stopped the scan (130 for Ctrl-C), as shells do.
int exit_code(const ScanOutcome& outcome);
// The scan options every command derives from its limits.
ScanOptions scan_options(const ScanLimits& limits, std::string label);

}  // namespace spotctl::cache
