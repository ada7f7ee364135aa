// moderate approve|reject|escalate|dismiss|warn|suspend|correct and moderate bulk: both go through DecisionBatch, so one
// decision and a file of a hundred thousand change their subjects and audit the same way.
#include <fmt/format.h>
#include <chrono>
#include <map>
#include <set>

#include "commands/moderate/decisions.hpp"
#include "commands/seed/csv_reader.hpp"
#include "commands/user/account_status.hpp"
#include "core/log.hpp"
#include "core/id_prefix.hpp"
#include "core/uuid.hpp"
#include "rulebook/id_kinds.hpp"

namespace spotctl::moderate {
namespace {

// After the commit: the suspended users' cache keys (the database change stands either way).
void drop_keys(Context& ctx, const std::vector<std::string>& users) {
    for (const auto& id : users) user::drop_cache_keys(ctx, id);
}

void write_outcomes(Context& ctx, const std::vector<Outcome>& outcomes) {
    using exporters::CellType;
    auto writer = ctx.writer();
    writer->begin({{"id"}, {"decision"}, {"status"}, {"subject_type"}, {"subject_id"}, {"subject_status"},
                   {"coins", CellType::integer}});
    for (const auto& o : outcomes)
        writer->row({o.id, o.decision, o.status, o.subject_type, o.subject_id,
                     o.subject_status.empty() ? exporters::Cell() : exporters::Cell(o.subject_status), std::to_string(o.coins)});
    writer->end();
}

struct LineError {
    std::size_t line;
    std::string id, decision, message;
};

// Reads and checks the file: every line's problems, and the good rows.
std::vector<DecisionRow> read_file(const std::string& path, std::vector<LineError>& errors) {
    seed::CsvReader reader(path);
    std::vector<DecisionRow> rows;
    std::map<std::string, std::size_t> seen;
    seed::CsvRecord rec;
    bool first = true;
    while (reader.next(rec)) {
        auto field = [&](std::size_t i) { return i < rec.fields.size() && rec.fields[i] ? *rec.fields[i] : std::string(); };
        bool header = first && field(0) == "id" && field(1) == "decision";
        first = false;
        if (header) continue;
        if (rec.fields.size() == 1 && field(0).empty()) continue;  // a blank line
        LineError e{rec.line, field(0), field(1), ""};
        auto decision = parse_decision(field(1));
        if (rec.fields.size() != 3)
            e.message = fmt::format("expected 3 fields (id, decision, reason), found {}", rec.fields.size());
        else if (!looks_like_uuid(field(0)))
            e.message = fmt::format("invalid moderation item id '{}': expected a UUID", field(0));
        else if (!decision || *decision == Decision::correct)
            e.message = fmt::format("invalid decision '{}': use approve, reject, escalate, dismiss, warn or suspend{}", field(1),
                                    decision ? " (a correction needs its values: use `spotctl moderate correct`)" : "");
        else if (field(2).find_first_not_of(" \t") == std::string::npos)
            e.message = "a decision needs a reason (the third field)";
        else if (auto [it, fresh] = seen.emplace(field(0), rec.line); !fresh)
            e.message = fmt::format("item {} is also on line {}", field(0), it->second);
        if (!e.message.empty()) {
            errors.push_back(std::move(e));
            continue;
        }
        rows.push_back({rec.line, field(0), *decision, field(2), {}});
    }
    return rows;
}

// The item a decision without an id is about: the actor's one live claim.
std::string only_live_claim(pg::Transaction& tx, const rulebook::Actor& a, const std::string& verb) {
    auto claims = tx.exec("SELECT id::text AS id FROM moderation_items "
                          "WHERE status = 'claimed' AND claimed_by = $1::uuid AND claimed_until > now() ORDER BY claimed_until, id",
                          pg::params(a.id));
    if (claims.size() == 1) return claims[0].str("id");
    if (claims.empty())
        throw Error(Exit::usage, fmt::format("moderate {}: no item id given, and {} holds no live claim", verb, a.email),
                    "claim one with `spotctl moderate claim --next`, or give the item's id");
    std::string list;
    for (std::size_t i = 0; i < claims.size(); ++i) list += (i ? ", " : "") + claims[i].str("id");
    throw Error(Exit::usage, fmt::format("moderate {}: no item id given, and {} holds {} live claims", verb, a.email, claims.size()),
                "give one of them (a unique prefix is enough): " + list);
}

// A correction names coordinates (both) or an address (not blank), or both.
void check_correction(const Correction& c) {
    if (c.latitude.has_value() != c.longitude.has_value())
        throw Error(Exit::usage, fmt::format("moderate correct: {} given without {}", c.latitude ? "--lat" : "--lon", c.latitude ? "--lon" : "--lat"),
                    "a position needs both coordinates");
    if (c.address && c.address->find_first_not_of(" \t") == std::string::npos)
        throw Error(Exit::usage, "moderate correct: --address is blank");
    if (!c.latitude && !c.address) throw Error(Exit::usage, "moderate correct needs --lat and --lon, --address, or both");
}

}  // namespace

std::vector<Outcome> decide_item(Context& ctx, const DecideOptions& o) {
    std::string verb(decision_name(o.decision));
    if (o.reason.find_first_not_of(" \t") == std::string::npos)
        throw Error(Exit::usage, fmt::format("moderate {} needs --reason", verb));
    if (o.decision == Decision::correct) check_correction(o.correction);
    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "moderate " + verb);
    std::string id = o.id.empty() ? only_live_claim(tx, a, verb) : resolve_id(tx, rulebook::moderation_item_ids, o.id, "id");
    DecisionBatch batch(tx, a, {{1, id, o.decision, o.reason, o.correction}}, o.suspend_for);
    auto problems = batch.lock_and_check();
    if (!problems.empty()) throw Error(problems[0].code, problems[0].message);
    std::vector<std::string> suspended;
    auto outcomes = batch.apply(suspended);
    tx.commit();
    drop_keys(ctx, suspended);
    return outcomes;
}

int decide(Context& ctx, const DecideOptions& o) {
    write_outcomes(ctx, decide_item(ctx, o));
    return 0;
}

int bulk(Context& ctx, const BulkOptions& o) {
    using exporters::CellType;
    auto started = std::chrono::steady_clock::now();
    std::vector<LineError> errors;
    auto rows = read_file(o.file, errors);
    auto where = [&](std::size_t line) { return fmt::format("{}:{}", o.file, line); };
    if (!errors.empty() && !o.continue_on_error)
        throw Error(Exit::data, fmt::format("{}: {}", where(errors[0].line), errors[0].message),
                    errors.size() > 1 ? fmt::format("{} more lines have problems; nothing was changed", errors.size() - 1)
                                      : "nothing was changed");

    auto tx = ctx.db().begin();
    auto a = rulebook::require_actor(tx, o.actor, rulebook::Level::moderator, "moderate bulk");
    DecisionBatch batch(tx, a, rows, o.suspend_for);
    auto problems = batch.lock_and_check();
    if (!problems.empty() && !o.continue_on_error)
        throw Error(Exit::data, fmt::format("{}: {}", where(problems[0].line), problems[0].message),
                    problems.size() > 1 ? fmt::format("{} more lines have problems; nothing was changed", problems.size() - 1)
                                        : "nothing was changed");

    std::vector<std::string> suspended;
    std::vector<Outcome> outcomes;
    std::map<std::size_t, const DecisionRow*> by_line;
    for (const auto& r : rows) by_line[r.line] = &r;
    if (!problems.empty()) {
        std::vector<std::size_t> lines;
        for (const auto& p : problems) {
            lines.push_back(p.line);
            errors.push_back({p.line, p.id, std::string(decision_name(by_line[p.line]->decision)), p.message});
        }
        batch.exclude(lines);
    }
    if (!o.continue_on_error) {
        outcomes = batch.apply(suspended);
    } else {
        // All good lines at once; if the set fails as a whole (a value a subject refuses), line by line.
        std::vector<std::size_t> active;
        {
            std::set<std::size_t> bad;
            for (const auto& e : errors) bad.insert(e.line);
            for (const auto& r : rows)
                if (!bad.count(r.line)) active.push_back(r.line);
        }
        {
            auto all = tx.savepoint();
            std::vector<std::string> maybe_suspended;
            try {
                outcomes = batch.apply(all, maybe_suspended);
                all.commit();
                suspended = maybe_suspended;
            } catch (const Error&) {
                outcomes.clear();  // the savepoint rolls back as it goes out of scope
            }
        }
        if (outcomes.empty() && !active.empty()) {
            for (std::size_t line : active) {
                batch.only(line);
                std::vector<std::string> s;
                std::optional<std::string> failure;
                {
                    auto one = tx.savepoint();
                    try {
                        auto out = batch.apply(one, s);
                        one.commit();
                        outcomes.insert(outcomes.end(), out.begin(), out.end());
                        suspended.insert(suspended.end(), s.begin(), s.end());
                    } catch (const Error& e) {
                        failure = e.what();
                    }
                }
                if (failure) {
                    const DecisionRow* r = by_line[line];
                    errors.push_back({line, r->id, std::string(decision_name(r->decision)), *failure});
                }
            }
        }
    }
    if (o.dry_run) {
        suspended.clear();
    } else {
        tx.commit();
        drop_keys(ctx, suspended);
    }

    auto writer = ctx.writer();
    if (o.continue_on_error) {
        // The per-line report.
        writer->begin({{"line", CellType::integer}, {"id"}, {"decision"}, {"result"}, {"status"}, {"subject_status"},
                       {"coins", CellType::integer}, {"message"}});
        std::map<std::size_t, std::vector<exporters::Cell>> report;
        std::string done = o.dry_run ? "would apply" : "applied";
        for (const auto& x : outcomes)
            report[x.line] = {std::to_string(x.line), x.id, x.decision, done, x.status,
                              x.subject_status.empty() ? exporters::Cell() : exporters::Cell(x.subject_status),
                              std::to_string(x.coins), exporters::Cell()};
        for (const auto& e : errors)
            report[e.line] = {std::to_string(e.line), e.id, e.decision, std::string("failed"), exporters::Cell(), exporters::Cell(),
                              exporters::Cell(), where(e.line) + ": " + e.message};
        for (const auto& [line, cells] : report) writer->row(cells);
    } else {
        // A summary per subject type and decision.
        writer->begin({{"subject_type"}, {"decision"}, {"items", CellType::integer}, {"coins", CellType::integer}});
        std::map<std::pair<std::string, std::string>, std::pair<long long, long long>> sums;
        for (const auto& x : outcomes) {
            auto& s = sums[{x.subject_type, x.decision}];
            s.first += 1;
            s.second += x.coins;
        }
        for (const auto& [k, v] : sums) writer->row({k.first, k.second, std::to_string(v.first), std::to_string(v.second)});
    }
    writer->end();
    if (!ctx.options().quiet && ctx.format() == exporters::Format::table)
        log::status("{} {} decisions from {} in {}{}", o.dry_run ? "checked" : "applied", outcomes.size(), o.file,
                    format_duration(std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started)),
                    o.dry_run ? " (dry run: nothing was changed)" : "");
    if (!errors.empty())
        throw Error(Exit::data, fmt::format("{}: {} of {} lines failed{}", o.file, errors.size(), errors.size() + outcomes.size(),
                                            o.dry_run ? "" : fmt::format("; the other {} are applied", outcomes.size())));
    return 0;
}

}  // namespace spotctl::moderate
