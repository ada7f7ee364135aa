#pragma once
// `spotctl moderate`: the support staff's review queue. Several staff work it at once: claims
// are leases taken with FOR UPDATE SKIP LOCKED, a decision locks its item so that of two staff
// deciding the same item exactly one wins, and every change writes one audit_log row in the
// transaction that makes it. Each subcommand takes plain options and a Context.
#include <optional>
#include <string>
#include <vector>

#include "core/context.hpp"
#include "core/duration.hpp"
#include "rulebook/lifetimes.hpp"

namespace spotctl::moderate {

struct QueueOptions {
    std::string type;    // charger, photo, review, profile_change, user; empty: all
    std::string status;  // open (an expired claim counts as open), claimed, escalated; empty: all three
    std::optional<Millis> older_than;
    long limit = 100;    // 0: no limit
};
int queue(Context& ctx, const QueueOptions& options);

// The rows queue() writes, for the terminal interface (moderate tui).
struct QueueItem {
    std::string id, subject_type, subject_id, status, reason, reporter, claimed_by_id, claimed_by, claimed_until, created_at;
    long long age_seconds = 0;
};
std::vector<QueueItem> queue_items(pg::Connection& db, const QueueOptions& options);

// The item, its subject in full, its reporter and its history from the audit log. `id` (here
// and in every command below) may be a unique prefix of the item's id.
int show(Context& ctx, const std::string& id);
// What show() writes, as a JSON document (the tui's detail pane).
std::string item_document(pg::Connection& db, const std::string& id);
// What show writes, for claim to show the item it took.
void write_item(Context& ctx, const std::string& id);

struct ClaimOptions {
    std::string actor;  // e-mail of a moderator or admin
    std::string id;     // claim this item ...
    bool next = false;  // ... or the oldest open one (an expired claim is open again)
    std::string type;   // with next: only items of this subject type
    long count = 1;     // with next: up to this many items, one transaction each
    Millis claim_for = rulebook::claim_lease;
};
int claim(Context& ctx, const ClaimOptions& options);
int release(Context& ctx, const std::string& actor, const std::string& id);

// One claim as claim() takes it (with its audit row, in a transaction of its own); nullopt when
// `next` finds nothing. Claiming an item one already holds renews the lease.
struct Claimed {
    std::string id, subject_type, subject_id, reason, claimed_until, created_at;
};
std::optional<Claimed> claim_item(pg::Connection& db, const ClaimOptions& options);
// release() without the output; returns the item's full id (`id` may be a prefix).
std::string release_item(pg::Connection& db, const std::string& actor, const std::string& id);

// approve, reject and escalate apply to every subject type. The others name what they do, for
// the subject types where approve and reject would hide it: dismiss (a reported user or charger:
// no change), warn and suspend (a reported user), correct (a charger's position or address). Each
// decided item is 'approved' when its subject stays and 'rejected' when it is taken down; the
// audit row's action (moderation.<decision>) says which decision it was.
enum class Decision { approve, reject, escalate, dismiss, warn, suspend, correct };

// What `correct` sets on a charger: new coordinates (both or neither) and/or a new address.
struct Correction {
    std::optional<double> latitude, longitude;
    std::optional<std::string> address;
};

struct DecideOptions {
    std::string actor;
    std::string id;  // empty: the actor's one live claim
    Decision decision = Decision::approve;
    std::string reason;
    Millis suspend_for{7LL * 24 * 3600 * 1000};  // reject or suspend of a reported user suspends them this long
    Correction correction;                       // with Decision::correct
};
int decide(Context& ctx, const DecideOptions& options);

// Takes back the actor's own decision within rulebook::undo_window: the subject gets its state
// from before the decision (from the decision's audit row), a reward paid is reversed by a
// compensating ledger row, and the item is claimed by the actor again for `claim_for`. One audit
// row (moderation.undo). A suspension's revoked sessions stay revoked.
struct UndoOptions {
    std::string actor;
    std::string id;
    Millis claim_for = rulebook::claim_lease;
};
struct Undone {
    std::string id, decision, subject_type, subject_status;
    long long coins_reversed = 0;
};
Undone undo_item(Context& ctx, const UndoOptions& options);
int undo(Context& ctx, const UndoOptions& options);

struct BulkOptions {
    std::string actor;
    std::string file;  // CSV: id, decision, reason (an optional header line "id,decision,reason")
    bool continue_on_error = false;
    bool dry_run = false;
    Millis suspend_for{7LL * 24 * 3600 * 1000};
};
int bulk(Context& ctx, const BulkOptions& options);

}  // namespace spotctl::moderate
