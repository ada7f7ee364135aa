#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/health/probes.hpp"
#include "core/errors.hpp"
#include "core/http.hpp"
#include "core/redact.hpp"

namespace spotctl::health {
namespace {

// The value at a dotted path ("status", "checks.database.status") as text, if present.
std::optional<std::string> json_at(const std::string& body, const std::string& path) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) return std::nullopt;
    const nlohmann::json* node = &doc;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto dot = path.find('.', start);
        std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object() || !node->contains(key)) return std::nullopt;
        node = &(*node)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return node->is_string() ? node->get<std::string>() : node->dump();
}

}  // namespace

Probe probe_http(const HttpEndpoint& endpoint, const ProbeContext& ctx) {
    Probe p;
    p.kind = "http";
    p.name = endpoint.name;
    p.target = redact_url(endpoint.url);
    auto left = std::chrono::duration_cast<Millis>(ctx.deadline - std::chrono::steady_clock::now());
    http::Request request{endpoint.url, std::max(Millis(1), left), endpoint.ca_file, endpoint.verify_tls};
    http::Response r;
    try {
        r = http::get(request);
    } catch (const Error& e) {  // the HTTP module is not installed: this probe cannot run, the others can
        p.state = State::unknown;
        p.summary = e.what();
        return p;
    }
    p.duration_ms = r.total_ms;
    if (!r.ok) {
        p.timed_out = r.timed_out;
        p.state = r.timed_out ? ctx.timeout_state : State::critical;
        p.summary = r.timed_out ? fmt::format("no answer within {}", format_duration(ctx.timeout)) : r.error;
        return p;
    }
    p.up = true;
    Limits latency = ctx.thresholds.get("http", "latency_ms");
    if (endpoint.max_latency_ms) latency.critical = *endpoint.max_latency_ms;
    add_metric(p, {"latency_ms", r.total_ms, "ms", latency, State::ok});
    add_metric(p, {"status_code", static_cast<double>(r.status), "", {}, State::ok});
    if (r.status != endpoint.expect_status) {
        p.state = State::critical;
        p.notes.push_back(fmt::format("status {} (expected {})", r.status, endpoint.expect_status));
    }
    if (!endpoint.json_field.empty()) {
        auto value = json_at(r.body, endpoint.json_field);
        if (!value) {
            p.state = State::critical;
            p.notes.push_back(fmt::format("the body has no JSON field '{}'", endpoint.json_field));
        } else if (*value != endpoint.json_value) {
            p.state = State::critical;
            p.notes.push_back(fmt::format("{} is '{}' (expected '{}')", endpoint.json_field, *value, endpoint.json_value));
        }
    }
    if (r.certificate_days_left)
        add_metric(p, {"certificate_days_left", static_cast<double>(*r.certificate_days_left), "",
                       ctx.thresholds.get("http", "certificate_days_left"), State::ok});
    p.summary = fmt::format("HTTP {} in {:.0f}ms", r.status, r.total_ms);
    return p;
}

}  // namespace spotctl::health
