#include "core/log_record.hpp"

#include <nlohmann/json.hpp>

#include "core/build_info.hpp"

namespace spotctl::log {
namespace {

std::pair<int, const char*> severity(Level l) {
    switch (l) {
        case Level::debug: return {5, "DEBUG"};
        case Level::info: return {9, "INFO"};
        case Level::warn: return {13, "WARN"};
        case Level::error: case Level::off: break;
    }
    return {17, "ERROR"};
}

}  // namespace

std::string json_record(Level level, std::string_view body, const Attributes& attributes,
                        std::chrono::system_clock::time_point when) {
    auto [number, text] = severity(level);
    nlohmann::ordered_json attrs = nlohmann::ordered_json::object();
    for (const auto& [key, value] : attributes) std::visit([&, k = key](const auto& v) { attrs[k] = v; }, value);
    // Severity and body first: what a person scanning the raw lines reads (field order carries no meaning).
    nlohmann::ordered_json r;
    r["SeverityText"] = text;
    r["SeverityNumber"] = number;
    r["Body"] = std::string(body);
    r["Timestamp"] = std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count());
    r["Attributes"] = std::move(attrs);
    r["Resource"] = {{"service.name", "spotctl"}, {"service.version", build::version}};
    // Invalid UTF-8 from a server message must not make the record unwritable.
    return r.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace spotctl::log
