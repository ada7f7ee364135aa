#include "commands/migrate/session.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <iostream>

namespace spotctl::migrate {

Session Session::open(Context& ctx, const Options& o, bool locked, bool read_down) {
    Session s;
    s.files = load_migrations(resolve_migrations_dir(o.dir), read_down);
    if (locked) {
        s.lock.emplace(JobLock::acquire(ctx.pg_settings(), "migrate", o.lock_wait));
        ensure_state_table(ctx.db());
    }
    s.refresh(ctx);
    return s;
}

void Session::refresh(Context& ctx) {
    applied = read_state(ctx.db());
    entries = compare(files, applied);
}

const Entry* Session::dirty() const {
    for (const auto& e : entries)
        if (e.state == State::dirty) return &e;
    return nullptr;
}

namespace {
std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}
}  // namespace

std::vector<std::string> invalid_indexes_left_by(Context& ctx, const Entry& entry) {
    std::vector<std::string> out;
    if (!entry.file) return out;
    auto rows = ctx.db().exec(R"(
SELECT n.nspname AS schema, c.relname AS name
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT i.indisvalid ORDER BY 1, 2)");
    std::string text = lower(entry.file->up.sql + (entry.file->down ? entry.file->down->sql : ""));
    for (auto r : rows)
        if (text.find(lower(r.str("name"))) != std::string::npos) out.push_back(r.str("schema") + "." + r.str("name"));
    return out;
}

std::vector<std::string> explain_dirty(Context& ctx, const Entry& entry) {
    std::vector<std::string> lines;
    const AppliedMigration& a = *entry.applied;
    std::string file = entry.file ? entry.file->up.path.string() : entry.label;
    if (a.failed_statement) {
        lines.push_back(fmt::format("dirty: {} failed at statement {} (line {}): {}", file, *a.failed_statement,
                                    a.failed_line.value_or(0), a.error.empty() ? "no error recorded" : a.error));
    } else {
        lines.push_back(fmt::format("dirty: {} did not finish (the run was interrupted before it recorded an error)", file));
    }
    auto invalid = invalid_indexes_left_by(ctx, entry);
    for (const auto& idx : invalid)
        lines.push_back(fmt::format("left behind: INVALID index {} from a failed concurrent build", idx));
    std::string plan = "'spotctl migrate repair --yes' will ";
    if (!invalid.empty()) plan += "drop the INVALID index(es) concurrently, then ";
    plan += fmt::format("clear the dirty mark of {} so that 'spotctl migrate up' runs it again from its first statement",
                        entry.label);
    lines.push_back(plan);
    return lines;
}

void say(Context& ctx, const std::string& line) {
    if (ctx.options().quiet || ctx.format() != exporters::Format::table) return;
    ctx.out() << line << '\n';
}

}  // namespace spotctl::migrate
