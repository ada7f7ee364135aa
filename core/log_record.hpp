#pragma once
// One log record as a JSON line in the OpenTelemetry log data model: SeverityText and
// SeverityNumber (DEBUG 5, INFO 9, WARN 13, ERROR 17), Body, Timestamp (Unix time in
// nanoseconds as a decimal string, as OTLP/JSON encodes 64-bit integers), Attributes (a flat object) and
// Resource ({"service.name": "spotctl", "service.version": ...}). The caller has already
// scrubbed secrets from the body and the attribute values.
#include <chrono>
#include <string>
#include <string_view>

#include "core/log.hpp"

namespace spotctl::log {

std::string json_record(Level level, std::string_view body, const Attributes& attributes,
                        std::chrono::system_clock::time_point when);

}  // namespace spotctl::log
