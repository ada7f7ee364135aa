// notifications, profile_changes, moderation_items, ip_blacklist and the fraud ground truth.
#include <fmt/format.h>
#include <set>

#include "commands/seed/generate_tables.hpp"
#include "commands/seed/table_sink.hpp"

namespace spotctl::seed {
namespace {

const char* templates[] = {"coins_awarded", "reservation_confirmed", "verification_thanks", "weekly_digest", "photo_approved"};
const char* channels[] = {"push", "push", "email", "in_app", "sms"};
const char* report_reasons[] = {"wrong location", "duplicate listing", "offensive content", "spam", "fake verification pattern",
                                "charger does not exist", "abusive review"};

long moderator(const World& w, Rng& r) { return w.staff_admins() + static_cast<long>(r.below(static_cast<std::uint64_t>(w.staff_moderators()))); }

struct ProfileChange {
    long user;
    std::string field;
    std::string status;
};
std::vector<ProfileChange> profile_changes(const World& w) {
    std::vector<ProfileChange> out;
    long count = 50L * w.scale(), range = w.first_actor() - w.staff();
    std::set<long> users;
    for (long k = 0; k < count; ++k) {
        long u = w.staff() + (k * 7919 + 13) % range;
        if (w.is_guest(u) || !users.insert(u).second) continue;
        double x = Rng(w.seed(), "profile-change", static_cast<std::uint64_t>(k)).unit();
        out.push_back({u, k % 3 == 0 ? "name" : k % 3 == 1 ? "phone" : "email", x < 0.4 ? "pending" : x < 0.8 ? "applied" : "discarded"});
    }
    return out;
}

}  // namespace

std::uint64_t write_notifications(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "notifications",
                   {"id", "user_id", "channel", "template", "payload", "status", "attempts", "last_error", "scheduled_at", "sent_at",
                    "read_at", "created_at"},
                   static_cast<std::uint64_t>(w.users()) * 3);
    for (long u = 0; u < w.users(); ++u) {
        Rng r(w.seed(), "notifications", static_cast<std::uint64_t>(u));
        std::time_t start = std::max(w.window_start(), w.user_created(u));
        for (long k = 0, n = r.between(0, 6); k < n; ++k) {
            std::time_t at = start + static_cast<std::time_t>(r.unit() * static_cast<double>(std::max<std::time_t>(1, w.anchor() - start)));
            double x = r.unit();
            std::string status = x < 0.85 ? "sent" : x < 0.9 ? "failed" : x < 0.95 ? "pending" : "cancelled";
            bool read = status == "sent" && r.chance(0.5);
            sink.row({w.uuid("notification", static_cast<std::uint64_t>(u) * 16 + static_cast<std::uint64_t>(k)), w.user_id(u), r.pick(channels),
                      r.pick(templates), fmt::format("{{\"n\": {}}}", k), status, status == "pending" ? "0" : "1",
                      status == "failed" ? pg::Value("provider timeout") : std::nullopt, w.timestamp(at),
                      status == "sent" ? pg::Value(w.timestamp(at + 5)) : std::nullopt,
                      read ? pg::Value(w.timestamp(at + r.between(60, 3 * day))) : std::nullopt, w.timestamp(at - 1)});
        }
    }
    return sink.finish();
}

std::uint64_t write_profile_changes(Gen& g) {
    const World& w = g.w;
    auto changes = profile_changes(w);
    TableSink sink(g.tx, "profile_changes", {"id", "user_id", "field", "old_value", "new_value", "status", "created_at", "decided_at"}, changes.size());
    for (std::size_t k = 0; k < changes.size(); ++k) {
        const auto& c = changes[k];
        Rng r(w.seed(), "profile-change-values", k);
        std::string old_value = c.field == "email" ? w.user_email(c.user) : c.field == "phone" ? "+919800000000" : "Old Name";
        std::string new_value = c.field == "email" ? fmt::format("new.user{}@example.com", c.user)
                                : c.field == "phone" ? fmt::format("+9198{:08}", r.below(100000000))
                                                     : "New Name";
        std::time_t at = w.anchor() - r.between(hour, 20 * day);
        sink.row({w.uuid("profile-change", k), w.user_id(c.user), c.field, old_value, new_value, c.status, w.timestamp(at),
                  c.status == "pending" ? std::nullopt : pg::Value(w.timestamp(at + r.between(600, day)))});
    }
    return sink.finish();
}

std::uint64_t write_moderation_items(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "moderation_items",
                   {"id", "subject_type", "subject_id", "reason", "reporter_id", "status", "claimed_by", "claimed_until", "decided_by",
                    "decided_at", "decision_note", "created_at", "updated_at"},
                   static_cast<std::uint64_t>(w.scale()) * 60);
    std::uint64_t n = 0;
    // Undecided items (open, claimed, escalated) about subjects still waiting for a decision.
    auto item = [&](const std::string& type, const std::string& subject, std::time_t at, Rng& r, bool decided) {
        long reporter = w.staff() + static_cast<long>(r.below(static_cast<std::uint64_t>(w.first_actor() - w.staff())));
        std::string status = "open";
        pg::Value claimed_by, claimed_until, decided_by, decided_at, note;
        double x = r.unit();
        if (decided) {
            status = x < 0.6 ? "approved" : "rejected";
        } else if (x < 0.1) {
            status = "claimed";
            claimed_by = w.user_id(moderator(w, r));
            claimed_until = w.timestamp(w.anchor() + 1800);
        } else if (x < 0.15) {
            status = "escalated";
        }
        if (status == "approved" || status == "rejected" || status == "escalated") {
            decided_by = w.user_id(moderator(w, r));
            std::time_t when = std::min<std::time_t>(at + r.between(600, 2 * day), w.anchor() - 60);
            decided_at = w.timestamp(when);
            note = status == "escalated" ? "needs an admin" : "checked against the photos";
        }
        std::string updated = decided_at ? *decided_at : w.timestamp(at);
        sink.row({w.uuid("moderation", n++), type, subject, r.pick(report_reasons), w.is_guest(reporter) ? std::nullopt : pg::Value(w.user_id(reporter)),
                  status, claimed_by, claimed_until, decided_by, decided_at, note, w.timestamp(at), updated});
    };
    for (long c = 0; c < w.chargers(); ++c) {
        Rng r(w.seed(), "moderation-charger", static_cast<std::uint64_t>(c));
        if (w.charger_status(c) == "pending") item("charger", w.charger_id(c), w.charger_created(c) + 600, r, false);
        for (const auto& p : photos_of(w, c)) {
            if (p.status == "pending" && r.chance(0.6)) item("photo", p.id, p.created + 300, r, false);
            else if (p.reviewed && r.chance(0.3)) item("photo", p.id, p.created + 300, r, true);
        }
        for (const auto& rv : reviews_of(w, c))
            if (rv.status == "pending") item("review", rv.id, rv.created + 300, r, false);
    }
    auto changes = profile_changes(w);
    for (std::size_t k = 0; k < changes.size(); ++k) {
        Rng r(w.seed(), "moderation-profile", k);
        if (changes[k].status == "pending") item("profile_change", w.uuid("profile-change", k), w.anchor() - r.between(hour, day), r, false);
    }
    for (long u = w.staff(); u < w.first_actor(); u += 97) {
        Rng r(w.seed(), "moderation-user", static_cast<std::uint64_t>(u));
        item("user", w.user_id(u), w.anchor() - r.between(hour, 10 * day), r, false);
    }
    return sink.finish();
}

std::uint64_t write_ip_blacklist(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "ip_blacklist", {"id", "cidr", "reason", "created_by", "created_at", "expires_at"}, blacklist_entries().size());
    std::uint64_t k = 0;
    for (const auto& e : blacklist_entries()) {
        std::time_t created = w.window_start() - 30 * day;
        sink.row({w.uuid("blacklist", k++), e.cidr, e.reason, w.user_id(0), w.timestamp(created),
                  e.expired ? pg::Value(w.timestamp(w.window_start())) : std::nullopt});
    }
    return sink.finish();
}

std::uint64_t write_truth(Gen& g) {
    g.tx.exec(R"(
CREATE TABLE IF NOT EXISTS spotctl_seed_truth (
    rule         text        NOT NULL,
    subject_type text        NOT NULL,
    subject_id   text        NOT NULL,
    label        text        NOT NULL CHECK (label IN ('fraud', 'near_miss', 'lookalike')),
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    note         text        NOT NULL
);
COMMENT ON TABLE spotctl_seed_truth IS
    'Fraud planted by spotctl seed generate: what each rule should flag (fraud) and not flag (near_miss, lookalike).';
TRUNCATE spotctl_seed_truth)");
    TableSink sink(g.tx, "spotctl_seed_truth", {"rule", "subject_type", "subject_id", "label", "window_start", "window_end", "note"},
                   g.planted.truth.size());
    for (const auto& t : g.planted.truth)
        sink.row({t.rule, t.subject_type, t.subject_id, t.label, g.ts(t.from), g.ts(t.to), t.note});
    return sink.finish();
}

}  // namespace spotctl::seed
