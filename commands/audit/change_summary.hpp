#pragma once
// The audit table's "change" column: what an action changed, in one line, from the row's
// before and after images ("status: active → suspended, suspended_until: - → 2026-12-01T00:00:00Z").
// Only the fields that differ; -o json and -o csv keep the raw images.
#include <optional>
#include <string>

namespace spotctl::auditlog {

// `before` and `after` are the images' JSON text, nullopt where the row has none.
std::string change_summary(const std::optional<std::string>& before, const std::optional<std::string>& after);

}  // namespace spotctl::auditlog
