#include "commands/doctor/cache_findings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/cache/nodes.hpp"
#include "commands/cache/scanner.hpp"
#include "commands/doctor/data_sql.hpp"
#include "rulebook/cache_expiry.hpp"
#include "rulebook/cache_keys.hpp"

namespace spotctl::doctor::cache_keys {
namespace {

// Sends one command per key (TTL or GET) in the scan's pipeline and hands each batch's replies
// to `on_batch`.
class PerKey : public spotctl::cache::BatchHandler {
public:
    using OnBatch = std::function<void(const std::vector<std::string>&, const std::vector<redis::Reply>&)>;
    PerKey(std::string command, OnBatch on_batch) : command_(std::move(command)), on_batch_(std::move(on_batch)) {}

    std::size_t queue(spotctl::cache::Node& node, const std::vector<std::string>& keys) override {
        for (const auto& key : keys) node.client->append({command_, key});
        return keys.size();
    }
    void collect(spotctl::cache::Node& node, const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) override {
        std::vector<std::string> kept;
        std::vector<redis::Reply> answers;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (spotctl::cache::is_redirect(replies[i])) continue;  // resharded meanwhile: its new owner is scanned too
            spotctl::cache::check_reply(replies[i], node, command_);
            kept.push_back(keys[i]);
            answers.push_back(replies[i]);
        }
        if (!kept.empty()) on_batch_(kept, answers);
    }

private:
    std::string command_;
    OnBatch on_batch_;
};

void scan_namespace(Environment& env, const rulebook::Namespace* ns, const std::string& command, const PerKey::OnBatch& on_batch) {
    auto nodes = spotctl::cache::Nodes::connect(env.ctx);
    spotctl::cache::ScanOptions o;
    o.label = "doctor: scanning";
    if (ns) {
        o.match = ns->glob();
        o.filter = [ns](std::string_view key) { return ns->matches(key); };
    }
    PerKey handler(command, on_batch);
    spotctl::cache::scan(nodes, o, handler);
}

// The ids of a JSON array of objects that `sql` ($1) selects, as the keys they came with.
std::vector<std::string> query_keys(pg::Connection& db, const std::string& sql, const nlohmann::json& batch) {
    std::vector<std::string> out;
    for (const auto& row : db.exec(sql, pg::params(batch.dump()))) out.push_back(row.str("id"));
    return out;
}

// An ISO 8601 time as the servers write it, or nothing (a cast of anything else would fail the query).
bool looks_like_time(const std::string& s) {
    return s.size() >= 10 && s.size() <= 40 && std::isdigit(static_cast<unsigned char>(s[0])) &&
           s.find_first_not_of("0123456789-:.+TZ ") == std::string::npos;
}

}  // namespace

Found dead_sessions(Environment& env) {
    auto registry = rulebook::Registry::from_config(env.ctx.config());
    const auto& ns = registry.get("session");
    const std::string prefix = rulebook::session_key("");
    Found f;
    const std::string sql = fmt::format(R"(SELECT k->>'key' AS id FROM jsonb_array_elements($1::jsonb) k
  LEFT JOIN user_sessions s ON s.token_hash = k->>'hash'
 WHERE s.id IS NULL OR s.revoked_at IS NOT NULL OR s.expires_at <= {})",
                                        data::now_sql);
    scan_namespace(env, &ns, "EXISTS", [&](const std::vector<std::string>& keys, const std::vector<redis::Reply>&) {
        nlohmann::json batch = nlohmann::json::array();
        for (const auto& key : keys)
            if (key.starts_with(prefix)) batch.push_back({{"key", key}, {"hash", key.substr(prefix.size())}});
        for (auto& k : query_keys(env.db, sql, batch)) f.keys.push_back(std::move(k));
    });
    return f;
}

Found without_ttl(Environment& env) {
    auto registry = rulebook::Registry::from_config(env.ctx.config());
    Found f;
    std::string names;
    for (const auto& ns : registry.namespaces()) {
        if (!rulebook::must_expire(ns)) continue;
        names += (names.empty() ? "" : ", ") + ns.name();
        scan_namespace(env, &ns, "TTL", [&](const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) {
            for (std::size_t i = 0; i < keys.size(); ++i)
                if (replies[i].integer == -1) f.keys.push_back(keys[i]);
        });
    }
    f.note = "namespaces that must expire: " + names;
    return f;
}

Found stale_chargers(Environment& env) {
    auto registry = rulebook::Registry::from_config(env.ctx.config());
    const auto& ns = registry.get("charger_detail");
    const std::string prefix = ns.keys_of("").exact_key.value_or("");
    Found f;
    std::uint64_t unreadable = 0;
    const std::string sql = fmt::format(R"(SELECT k->>'key' AS id FROM jsonb_array_elements($1::jsonb) k
  LEFT JOIN chargers c ON c.id = {}
 WHERE c.id IS NULL OR k->>'cached_at' IS NULL OR c.updated_at > (k->>'cached_at')::timestamptz)",
                                        data::uuid_or_null("k->>'id'"));
    scan_namespace(env, &ns, "GET", [&](const std::vector<std::string>& keys, const std::vector<redis::Reply>& replies) {
        nlohmann::json batch = nlohmann::json::array();
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (replies[i].type != redis::Reply::Type::string) continue;  // expired since SCAN saw it
            nlohmann::json entry = {{"key", keys[i]}, {"id", keys[i].substr(prefix.size())}, {"cached_at", nullptr}};
            auto value = nlohmann::json::parse(replies[i].str, nullptr, false);
            if (value.is_object() && value.contains("updated_at") && value["updated_at"].is_string() &&
                looks_like_time(value["updated_at"].get<std::string>()))
                entry["cached_at"] = value["updated_at"];
            else
                ++unreadable;
            batch.push_back(std::move(entry));
        }
        if (!batch.empty())
            for (auto& k : query_keys(env.db, sql, batch)) f.keys.push_back(std::move(k));
    });
    if (unreadable) f.note = fmt::format("{} value(s) without a readable updated_at, counted as stale", unreadable);
    return f;
}

}  // namespace spotctl::doctor::cache_keys
