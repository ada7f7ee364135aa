#include "commands/moderate/tui_workbench.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/moderate/decisions.hpp"
#include "rulebook/actor.hpp"

namespace spotctl::moderate {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

const std::vector<std::string> type_cycle = {"", "charger", "photo", "review", "profile_change", "user"};

// The queue the terminal keeps: enough for a shift, oldest first.
constexpr long queue_limit = 500;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string scalar(const Json& v) {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

// Nested values as indented "key: value" lines; long arrays show their first few entries.
void flatten(const Json& v, const std::string& indent, std::vector<std::string>& out) {
    constexpr std::size_t shown = 5;
    if (v.is_object()) {
        for (const auto& [k, x] : v.items()) {
            if (x.is_structured()) {
                out.push_back(fmt::format("{}{}:{}", indent, k, x.empty() ? " (none)" : ""));
                flatten(x, indent + "  ", out);
            } else {
                out.push_back(fmt::format("{}{}: {}", indent, k, scalar(x)));
            }
        }
    } else if (v.is_array()) {
        std::size_t i = 0;
        for (const auto& x : v) {
            if (i++ == shown) {
                out.push_back(fmt::format("{}... {} more", indent, v.size() - shown));
                break;
            }
            if (x.is_object()) {
                std::string line;
                for (const auto& [k, y] : x.items()) line += fmt::format("{}{}={}", line.empty() ? "" : " ", k, scalar(y));
                out.push_back(indent + "- " + line);
            } else {
                out.push_back(indent + "- " + scalar(x));
            }
        }
    }
}

}  // namespace

std::string short_age(long long s) {
    if (s < 60) return fmt::format("{}s", std::max(0LL, s));
    if (s < 3600) return fmt::format("{}m", s / 60);
    if (s < 86400) return fmt::format("{}h", s / 3600);
    return fmt::format("{}d", s / 86400);
}

std::vector<std::string> detail_lines(const std::string& document_json, const ItemContext& c) {
    Json doc = Json::parse(document_json);
    std::vector<std::string> out;
    const Json& item = doc["item"];
    out.push_back(fmt::format("{} {}  ({})", scalar(item["subject_type"]), scalar(item["subject_id"]), scalar(item["status"])));
    out.push_back("reason: " + scalar(item["reason"]));
    if (!item["claimed_by"].is_null())
        out.push_back(fmt::format("claimed by {} until {}", scalar(item["claimed_by"]), scalar(item["claimed_until"])));
    out.push_back("");
    if (!c.owner_email.empty()) {
        out.push_back(fmt::format("owner: {} ({}), fraud risk {}, {} open fraud alerts", c.owner_email, c.owner_status,
                                  c.risk_score.empty() ? "not scored" : c.risk_score, c.open_alerts));
        out.push_back(fmt::format("  earlier items: {} approved, {} rejected, {} escalated", c.owner_approved, c.owner_rejected,
                                  c.owner_escalated));
    }
    if (doc["reporter"].is_null()) {
        out.push_back("reporter: the system");
    } else {
        out.push_back(fmt::format("reporter: {} ({}), {} of {} decided reports upheld", scalar(doc["reporter"]["email"]),
                                  scalar(doc["reporter"]["status"]), c.reports_upheld, c.reports_decided));
    }
    out.push_back("");
    const Json& subject = doc["subject"];
    if (subject.is_null()) {
        out.push_back("subject: (no longer exists)");
    } else {
        if (scalar(item["subject_type"]) == "profile_change")
            out.push_back(fmt::format("change: {} {} \u2192 {}", scalar(subject["field"]), scalar(subject["old_value"]),
                                      scalar(subject["new_value"])));
        out.push_back("subject:");
        flatten(subject, "  ", out);
    }
    out.push_back("");
    out.push_back("history:");
    flatten(doc["history"], "  ", out);
    return out;
}

Workbench::Workbench(Context& ctx, const TuiOptions& options) : ctx_(ctx), options_(options), type_(options.type) {
    auto tx = ctx_.db().begin();
    actor_id_ = rulebook::require_actor(tx, options_.actor, rulebook::Level::moderator, "moderate tui").id;
    tx.commit();
    renewed_ = Clock::now();
}

void Workbench::refresh() {
    std::string keep = current() ? current()->id : "";
    QueueOptions q;
    q.limit = queue_limit;
    all_ = queue_items(ctx_.db(), q);
    // Marks and claims on items decided elsewhere go with them.
    std::set<std::string> live;
    for (const auto& i : all_) live.insert(i.id);
    for (auto* s : {&marks_, &held_})
        for (auto it = s->begin(); it != s->end();) it = live.count(*it) ? std::next(it) : s->erase(it);
    apply_filter();
    for (std::size_t i = 0; i < visible_.size(); ++i)
        if (visible_[i].id == keep) selected_ = i;
    forget_detail();
}

void Workbench::apply_filter() {
    std::string needle = lower(text_);
    visible_.clear();
    for (const auto& i : all_) {
        if (!type_.empty() && i.subject_type != type_) continue;
        if (!needle.empty()) {
            std::string hay = lower(i.id + " " + i.subject_type + " " + i.reason + " " + i.reporter + " " + i.claimed_by);
            if (hay.find(needle) == std::string::npos) continue;
        }
        visible_.push_back(i);
    }
    if (selected_ >= visible_.size()) selected_ = visible_.empty() ? 0 : visible_.size() - 1;
}

void Workbench::renew_claims() {
    if (held_.empty() || Clock::now() - renewed_ < options_.claim_for / 3) return;
    renewed_ = Clock::now();
    for (auto it = held_.begin(); it != held_.end();) {
        ClaimOptions o;
        o.actor = options_.actor;
        o.id = *it;
        o.claim_for = options_.claim_for;
        try {
            claim_item(ctx_.db(), o);
            ++it;
        } catch (const Error&) {
            it = held_.erase(it);  // decided or taken over meanwhile: the next refresh shows which
        }
    }
}

void Workbench::move(long by) {
    if (visible_.empty()) return;
    long to = static_cast<long>(selected_) + by;
    move_to(static_cast<std::size_t>(std::clamp(to, 0L, static_cast<long>(visible_.size()) - 1)));
}

void Workbench::move_to(std::size_t index) {
    if (visible_.empty()) return;
    selected_ = std::min(index, visible_.size() - 1);
}

void Workbench::cycle_type() {
    auto it = std::find(type_cycle.begin(), type_cycle.end(), type_);
    type_ = (it == type_cycle.end() || std::next(it) == type_cycle.end()) ? type_cycle.front() : *std::next(it);
    apply_filter();
}

void Workbench::set_text_filter(std::string text) {
    text_ = std::move(text);
    apply_filter();
}

void Workbench::toggle_mark() {
    if (!current()) return;
    const std::string& id = current()->id;
    if (!marks_.erase(id)) marks_.insert(id);
    move(1);
}

std::string Workbench::claim_current() {
    if (!current()) return "the queue is empty";
    ClaimOptions o;
    o.actor = options_.actor;
    o.id = current()->id;
    o.claim_for = options_.claim_for;
    auto c = claim_item(ctx_.db(), o);
    held_.insert(c->id);
    refresh();
    return fmt::format("claimed {} until {}", c->id, c->claimed_until);
}

std::string Workbench::decide(const std::vector<std::string>& ids, Decision d, const std::string& reason) {
    std::size_t ok = 0;
    long long coins = 0;
    std::string failure;
    for (const auto& id : ids) {
        DecideOptions o;
        o.actor = options_.actor;
        o.id = id;
        o.decision = d;
        o.reason = reason;
        o.suspend_for = options_.suspend_for;
        try {
            for (const auto& outcome : decide_item(ctx_, o)) coins += outcome.coins;
            ++ok;
            held_.erase(id);
            marks_.erase(id);
            done_.push_back({id, d, Clock::now()});
        } catch (const Error& e) {
            if (failure.empty()) failure = e.what();
        }
    }
    refresh();
    std::string verb = d == Decision::approve ? "approved" : d == Decision::reject ? "rejected" : "escalated";
    std::string what = ids.size() == 1 ? ids[0] : fmt::format("{} of {} items", ok, ids.size());
    if (ok == 0) throw Error(Exit::temp_fail, failure);
    std::string msg = fmt::format("{} {}{}; u undoes", verb, what, coins ? fmt::format(" ({} coins paid)", coins) : "");
    if (!failure.empty()) msg += fmt::format("; {} failed: {}", ids.size() - ok, failure);
    return msg;
}

std::string Workbench::decide_current(Decision d, const std::string& reason) {
    if (!current()) return "the queue is empty";
    return decide({current()->id}, d, reason);
}

std::string Workbench::decide_marked(Decision d, const std::string& reason) {
    return decide(std::vector<std::string>(marks_.begin(), marks_.end()), d, reason);
}

std::string Workbench::undo_last() {
    if (done_.empty()) return "nothing to undo";
    Done last = done_.back();
    done_.pop_back();
    UndoOptions o;
    o.actor = options_.actor;
    o.id = last.id;
    o.claim_for = options_.claim_for;
    auto u = undo_item(ctx_, o);  // the database decides whether the window has passed
    held_.insert(last.id);
    refresh();
    for (std::size_t i = 0; i < visible_.size(); ++i)
        if (visible_[i].id == last.id) selected_ = i;
    return fmt::format("undid {} of {}{}; claimed by you again", u.decision, u.id,
                       u.coins_reversed ? fmt::format(" ({} coins reversed)", u.coins_reversed) : "");
}

std::size_t Workbench::release_all() {
    std::size_t n = 0;
    for (const auto& id : held_) {
        try {
            release_item(ctx_.db(), options_.actor, id);
            ++n;
        } catch (const Error&) {
            // Decided or taken over since: nothing of ours to give back.
        }
    }
    held_.clear();
    return n;
}

std::vector<std::string> Workbench::recent_reasons(Decision d) {
    std::vector<std::string> out;
    auto rows = ctx_.db().exec(
        "SELECT reason FROM audit_log WHERE actor_id = $1::uuid AND action = $2 AND reason IS NOT NULL "
        "GROUP BY reason ORDER BY max(id) DESC LIMIT 9",
        pg::params(actor_id_, "moderation." + std::string(decision_name(d))));
    for (auto r : rows) out.push_back(r.str("reason"));
    return out;
}

const std::vector<std::string>& Workbench::detail() {
    const QueueItem* c = current();
    if (!c) {
        detail_.clear();
        return detail_;
    }
    if (detail_id_ != c->id) {
        try {
            detail_ = detail_lines(item_document(ctx_.db(), c->id), item_context(ctx_.db(), c->id));
        } catch (const Error& e) {
            detail_ = {e.what()};  // decided and purged meanwhile
        }
        detail_id_ = c->id;
    }
    return detail_;
}

}  // namespace spotctl::moderate
