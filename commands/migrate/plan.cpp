#include "commands/migrate/plan.hpp"

#include <algorithm>
#include <map>

namespace spotctl::migrate {

std::string_view state_name(State state) {
    switch (state) {
        case State::applied: return "applied";
        case State::pending: return "pending";
        case State::changed: return "changed";
        case State::missing: return "missing";
        case State::dirty: return "dirty";
    }
    return "unknown";
}

std::vector<Entry> compare(const std::vector<MigrationFile>& files, const std::vector<AppliedMigration>& applied) {
    std::map<long long, Entry> entries;
    for (const auto& f : files) entries.emplace(f.version, Entry{f.version, f.label(), State::pending, &f, nullptr});
    for (const auto& a : applied) {
        auto it = entries.find(a.version);
        if (it == entries.end()) {
            entries.emplace(a.version, Entry{a.version, std::to_string(a.version) + "_" + a.name, State::missing, nullptr, &a});
            continue;
        }
        Entry& e = it->second;
        e.applied = &a;
        if (a.dirty) e.state = State::dirty;
        else if (a.checksum != e.file->checksum) e.state = State::changed;
        else e.state = State::applied;
    }
    std::vector<Entry> out;
    out.reserve(entries.size());
    for (auto& [v, e] : entries) out.push_back(e);
    return out;
}

bool needs_attention(const std::vector<Entry>& entries) {
    return std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.state != State::applied; });
}

}  // namespace spotctl::migrate
