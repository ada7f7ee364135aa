#include "commands/seed/generate.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <map>
#include <regex>

#include "commands/seed/generate_tables.hpp"
#include "rulebook/derived_scores.hpp"
#include "rulebook/environment_guard.hpp"
#include "core/job_lock.hpp"
#include "core/log.hpp"

namespace spotctl::seed {
namespace {

using Writer = std::uint64_t (*)(Gen&);
struct Step {
    std::string table;
    Writer write;
};

// Parents before children (the coin ledger after everything that earns coins).
const std::vector<Step>& steps() {
    static const std::vector<Step> list = {
        {"users", write_users},
        {"user_sessions", write_user_sessions},
        {"chargers", write_chargers},
        {"charger_verifications", write_charger_verifications},
        {"charger_photos", write_charger_photos},
        {"charger_reviews", write_charger_reviews},
        {"coin_transactions", write_coin_transactions},
        {"parking_lots", write_parking_lots},
        {"parking_slots", write_parking_slots},
        {"reservations", write_reservations},
        {"payments", write_payments},
        {"notifications", write_notifications},
        {"profile_changes", write_profile_changes},
        {"moderation_items", write_moderation_items},
        {"ip_blacklist", write_ip_blacklist},
        {"login_attempts", write_login_attempts},
        {"spotctl_seed_truth", write_truth},
    };
    return list;
}

// A verified charger as the app leaves it at its latest verification: last_verified_at and
// updated_at then, and verification_level by the rulebook.
const std::string verified_chargers_sql = fmt::format(R"(UPDATE chargers c
   SET last_verified_at = v.last, updated_at = v.last, verification_level = coalesce(l.verification_level, 0)
  FROM (SELECT charger_id, max(created_at) AS last FROM charger_verifications GROUP BY charger_id) v
  LEFT JOIN ({}) l ON l.charger_id = v.charger_id
 WHERE v.charger_id = c.id AND c.last_verified_at IS DISTINCT FROM v.last)",
                                                      rulebook::verification_counts_sql());

bool wanted(const GenerateOptions& o, const std::string& table) {
    return o.only.empty() || std::find(o.only.begin(), o.only.end(), table) != o.only.end();
}

}  // namespace

const std::vector<std::string>& generated_tables() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& s : steps()) out.push_back(s.table);
        return out;
    }();
    return names;
}

std::int64_t parse_anchor(const std::string& text) {
    if (text == "now") return static_cast<std::int64_t>(std::time(nullptr));
    static const std::regex format(R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?$)");
    std::smatch m;
    if (!std::regex_match(text, m, format))
        throw Error(Exit::usage, fmt::format("invalid --anchor '{}'", text), "use a date such as 2026-11-01, 2026-11-01T12:00:00Z, or now");
    std::tm tm{};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = m[4].matched ? std::stoi(m[4]) : 0;
    tm.tm_min = m[5].matched ? std::stoi(m[5]) : 0;
    tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        throw Error(Exit::usage, fmt::format("invalid --anchor '{}': no such date or time", text));
    return static_cast<std::int64_t>(timegm(&tm));
}

int generate(Context& ctx, const GenerateOptions& o) {
    if (o.scale < 1 || o.scale > 100000) throw Error(Exit::usage, fmt::format("--scale must be between 1 and 100000, not {}", o.scale));
    for (const auto& t : o.only)
        if (std::find(generated_tables().begin(), generated_tables().end(), t) == generated_tables().end())
            throw Error(Exit::usage, fmt::format("--only names '{}', which generate does not fill", t),
                        "see 'spotctl seed generate --help' for the tables");
    World world(o.seed, o.scale, static_cast<std::time_t>(parse_anchor(o.anchor)));

    auto& db = ctx.db();
    auto lock = JobLock::acquire(ctx.pg_settings(), "seed", Millis(0));
    rulebook::refuse_production(db, "generate data in", o.allow_production);
    Planted planted = plant_fraud(world);

    auto tx = db.begin();
    Gen gen{tx, world, planted};
    std::vector<std::pair<std::string, std::uint64_t>> counts;
    auto started = std::chrono::steady_clock::now();
    for (const auto& step : steps()) {
        if (!wanted(o, step.table)) continue;
        lock.verify();
        try {
            counts.emplace_back(step.table, step.write(gen));
        } catch (const pg::DbError& e) {
            throw Error(e.code() == Exit::internal ? Exit::data : e.code(),
                        fmt::format("generating {}: {}", step.table, e.what()),
                        o.only.empty() ? "is the database empty? run 'spotctl seed reset --yes' first"
                                       : "--only needs the tables it refers to generated with the same --seed and --scale");
        }
        log::info("generated {}: {} rows", step.table, counts.back().second);
    }
    // Timestamps the triggers set to now() while loading are put back to generated values, so
    // that two runs give identical tables.
    if (wanted(o, "users") || wanted(o, "coin_transactions"))
        tx.exec("UPDATE users SET updated_at = coalesce(last_login_at, created_at) "
                "WHERE updated_at IS DISTINCT FROM coalesce(last_login_at, created_at)");
    if (wanted(o, "chargers") || wanted(o, "charger_verifications"))
        tx.exec(verified_chargers_sql);
    lock.verify();
    tx.commit();
    auto elapsed = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);

    auto writer = ctx.writer();
    writer->begin({{"table"}, {"rows", exporters::CellType::integer}});
    std::uint64_t total = 0;
    for (const auto& [table, n] : counts) {
        writer->row({table, std::to_string(n)});
        total += n;
    }
    writer->end();
    if (ctx.format() == exporters::Format::table && !ctx.options().quiet)
        ctx.out() << fmt::format("\n{} rows at scale {} (seed {}, anchor {}) in {}\n", total, o.scale, o.seed,
                                 world.timestamp(world.anchor()), format_duration(elapsed));
    return 0;
}

}  // namespace spotctl::seed
