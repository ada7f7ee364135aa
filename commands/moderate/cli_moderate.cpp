#include "commands/moderate/cli_moderate.hpp"

#include <fmt/format.h>
#include <memory>

#include "cli/actor_option.hpp"
#include "cli/time_options.hpp"
#include "cli/validators.hpp"
#include "commands/moderate/moderate.hpp"
#include "commands/moderate/tui_workbench.hpp"
#include "rulebook/lifetimes.hpp"

namespace spotctl::cli {
namespace {

const std::vector<std::string> subject_types = {"charger", "photo", "review", "profile_change", "user"};

// The rulebook's claim lease as a duration flag value ("15m").
std::string claim_lease_text() { return fmt::format("{}m", rulebook::claim_lease.count()); }

struct ModerateFlags {
    std::string actor;
    moderate::QueueOptions queue;
    std::string older_than;
    std::string id;
    moderate::ClaimOptions claim;
    std::string claim_for = claim_lease_text();
    std::string reason;
    bool decide_next = false;
    std::string suspend_for = "7d";
    std::optional<double> latitude, longitude;
    std::optional<std::string> address;
    moderate::BulkOptions bulk;
    std::string type;
};

void add_suspend_for(CommandBuilder& sub, ModerateFlags& f) {
    sub.setting(sub.app().add_option("--suspend-for", f.suspend_for,
                                     "How long suspending (or rejecting) a reported user suspends the account (default 7d)")
                    ->check(duration_value())
                    ->default_str("7d"),
                "", "moderate.suspend_for");
}

void define_decision(CommandBuilder& builder, const std::shared_ptr<ModerateFlags>& f, moderate::Decision d, const std::string& name,
                     const std::string& summary, const std::string& examples) {
    auto sub = builder.subcommand(name, summary);
    sub.app().add_option("id", f->id, "The moderation item's id or a unique prefix (default: the item you hold claimed)")
        ->check(id_value());
    sub.app().add_option("--reason", f->reason, "Why (kept in the item and the audit log)")->required();
    sub.app().add_flag("--next", f->decide_next, "Then claim the next open item and show it (one command per decision)");
    actor_option(sub, f->actor);
    if (d == moderate::Decision::reject || d == moderate::Decision::suspend) add_suspend_for(sub, *f);
    if (d == moderate::Decision::correct) {
        sub.app().add_option("--lat", f->latitude, "The charger's correct latitude (with --lon)")->check(CLI::Range(-90.0, 90.0));
        sub.app().add_option("--lon", f->longitude, "The charger's correct longitude (with --lat)")->check(CLI::Range(-180.0, 180.0));
        sub.app().add_option("--address", f->address, "The charger's correct street address");
    }
    sub.action([f, d](Context& ctx) {
        moderate::DecideOptions o;
        o.actor = f->actor;
        o.id = f->id;
        o.decision = d;
        o.reason = f->reason;
        o.suspend_for = parse_duration(f->suspend_for, "--suspend-for");
        o.correction = {f->latitude, f->longitude, f->address};
        // Two results in one JSON or CSV stream would be neither: --next is for people.
        if (f->decide_next && ctx.format() != exporters::Format::table)
            throw Error(Exit::usage, "--next writes two results: use it with table output", "run `spotctl moderate claim --next` after");
        int code = moderate::decide(ctx, o);
        if (code != 0 || !f->decide_next) return code;
        moderate::ClaimOptions next;
        next.actor = f->actor;
        next.next = true;
        next.claim_for = parse_duration(f->claim_for, "--claim-for");
        ctx.out() << '\n';
        return moderate::claim(ctx, next);
    });
    sub.examples(examples);
}

}  // namespace

void define_moderate(CommandBuilder& builder) {
    auto f = std::make_shared<ModerateFlags>();
    builder.app().require_subcommand(1);
    builder.examples(
        "  spotctl moderate queue --type photo --older-than 1d\n"
        "  spotctl moderate claim --next --type photo --as mod1@spot.example\n"
        "  spotctl moderate approve 0000000c-0000-4000-8000-000000000015 --reason 'clear photo of the plug' --as mod1@spot.example\n"
        "  spotctl moderate bulk --file decisions.csv --as mod1@spot.example   # illustrative: needs your decisions.csv");

    auto queue = builder.subcommand("queue", "List undecided items, oldest first");
    queue.app().add_option("--type", f->queue.type, "Only items about this kind of subject")->check(CLI::IsMember(subject_types));
    queue.app()
        .add_option("--status", f->queue.status, "Only items in this state (an expired claim is open)")
        ->check(CLI::IsMember({"open", "claimed", "escalated"}));
    queue.app().add_option("--older-than", f->older_than, "Only items reported more than this long ago")->check(duration_value());
    queue.app().add_option("--limit", f->queue.limit, "At most this many items (0: all)")->check(CLI::NonNegativeNumber)->default_str("100");
    queue.action([f](Context& ctx) {
        moderate::QueueOptions o = f->queue;
        if (!f->older_than.empty()) o.older_than = parse_duration(f->older_than, "--older-than");
        return moderate::queue(ctx, o);
    });
    queue.examples("  spotctl moderate queue\n  spotctl moderate queue --type review --status escalated -o json\n"
                   "  spotctl moderate queue --older-than 2d -o csv > backlog.csv");

    auto show = builder.subcommand("show", "An item, its subject in full, its reporter and its history");
    show.output_formats({"table", "json"});  // a document: nested parts have no CSV form
    show.app().add_option("id", f->id, "The moderation item's id or a unique prefix of it")->required()->check(id_value());
    show.action([f](Context& ctx) { return moderate::show(ctx, f->id); });
    show.examples("  spotctl moderate show 0000000c-0000-4000-8000-000000000015\n"
                  "  spotctl moderate show 0000000c-0000-4000-8000-000000000015 -o json");

    auto claim = builder.subcommand("claim", "Take an item (or the next open ones) for a limited time");
    claim.app().add_option("id", f->claim.id, "The item to claim, by id or a unique prefix (or give --next)");
    claim.app().add_flag("--next", f->claim.next, "The oldest open item (skipping items others are claiming right now)");
    claim.app().add_option("--type", f->claim.type, "With --next: only items about this kind of subject")->check(CLI::IsMember(subject_types));
    claim.app().add_option("--count", f->claim.count, "With --next: up to this many items")->check(CLI::Range(1L, 100000L))->default_str("1");
    claim.setting(claim.app().add_option("--claim-for", f->claim_for, "How long a claim lasts before the item is open again")
                      ->check(duration_value())
                      ->default_str(claim_lease_text()),
                  "", "moderate.claim_for");
    actor_option(claim, f->actor);
    claim.action([f](Context& ctx) {
        moderate::ClaimOptions o = f->claim;
        o.actor = f->actor;
        refuse_split_duration(o.id, "--claim-for", f->claim_for);
        o.claim_for = parse_duration(f->claim_for, "--claim-for");
        return moderate::claim(ctx, o);
    });
    claim.examples("  spotctl moderate claim --next --as mod1@spot.example\n"
                   "  spotctl moderate claim --next --type photo --count 20 --claim-for 1h --as mod1@spot.example\n"
                   "  spotctl moderate claim 0000000c-0000-4000-8000-000000000015 --as mod1@spot.example");

    auto release = builder.subcommand("release", "Give a claimed item back to the queue");
    release.app().add_option("id", f->id, "The moderation item's id or a unique prefix of it")->required()->check(id_value());
    actor_option(release, f->actor);
    release.action([f](Context& ctx) { return moderate::release(ctx, f->actor, f->id); });
    release.examples("  spotctl moderate claim 0000000c-0000-4000-8000-000000000015 --as mod1@spot.example\n"
                     "  spotctl moderate release 0000000c-0000-4000-8000-000000000015 --as mod1@spot.example");

    // Every decision, one subcommand each (moderate.hpp says which subjects each applies to).
    struct DecisionCommand {
        moderate::Decision decision;
        const char* name;
        const char* summary;
        const char* examples;
    };
    const DecisionCommand decisions[] = {
        {moderate::Decision::approve, "approve",
         "Approve: publish the photo (and pay its coins), charger, review or profile change; warn a reported user (as warn)",
         "  spotctl moderate approve 0000000c-0000-4000-8000-000000000015 --reason 'shows the charger' --as mod1@spot.example\n"
         "  spotctl moderate claim --next --as mod1@spot.example   # shows the item it claims\n"
         "  spotctl moderate approve --reason 'shows the charger' --next --as mod1@spot.example   # decides that claim, claims the next"},
        {moderate::Decision::reject, "reject",
         "Reject: reject the photo, hide the charger, remove the review, discard the change; suspend a reported user (as suspend)",
         "  spotctl moderate reject 0000000c-0000-4000-8000-000000000015 --reason 'spam' --as mod1@spot.example\n"
         "  spotctl moderate reject 0000000c-0000-4000-8000-000000000018 --reason 'abuse' --suspend-for 30d --as mod1@spot.example"},
        {moderate::Decision::escalate, "escalate",
         "Hand the item to an admin; its subject does not change",
         "  spotctl moderate escalate 0000000c-0000-4000-8000-000000000015 --reason 'possible fraud ring' --as mod1@spot.example"},
        {moderate::Decision::dismiss, "dismiss",
         "Close a report about a user or a live charger with no action: the subject does not change",
         "  spotctl moderate dismiss 0000000c-0000-4000-8000-000000000018 --reason 'no pattern in the verifications' --as mod1@spot.example\n"
         "  spotctl moderate dismiss 0000000c-0000-4000-8000-000000000019 --reason 'pin checked on site' --as mod1@spot.example"},
        {moderate::Decision::warn, "warn",
         "Close a report about a user with a warning to its owner (an in-app notification); the account stays",
         "  spotctl moderate warn 0000000c-0000-4000-8000-000000000018 --reason 'rude review' --as mod1@spot.example"},
        {moderate::Decision::suspend, "suspend",
         "Close a report about a user by suspending the account (its sessions revoked)",
         "  spotctl moderate suspend 0000000c-0000-4000-8000-000000000018 --reason 'abuse' --suspend-for 30d --as mod1@spot.example"},
        {moderate::Decision::correct, "correct",
         "Close a report about a live charger by correcting its position and/or address (before and after audited)",
         "  spotctl moderate correct 0000000c-0000-4000-8000-000000000019 --lat 18.5204 --lon 73.8567 --reason 'pin was 2 km off' --as mod1@spot.example\n"
         "  spotctl moderate correct 0000000c-0000-4000-8000-000000000019 --address '12 FC Road, Pune' --reason 'wrong street' --as mod1@spot.example   # illustrative: the item is decided by the line above"},
    };
    for (const auto& d : decisions) define_decision(builder, f, d.decision, d.name, d.summary, d.examples);

    auto undo = builder.subcommand(
        "undo", fmt::format("Take back your own decision on an item within {}", rulebook::duration_text(rulebook::undo_window)));
    undo.app().add_option("id", f->id, "The moderation item's id")->required();
    actor_option(undo, f->actor);
    undo.action([f](Context& ctx) {
        moderate::UndoOptions o;
        o.actor = f->actor;
        o.id = f->id;
        return moderate::undo(ctx, o);
    });
    undo.examples("  spotctl moderate undo 0000000c-0000-4000-8000-000000000015 --as mod1@spot.example   # illustrative: right after deciding it");

    auto tui = builder.subcommand("tui", "Work the queue full-screen: the item in context, one key per decision");
    tui.app().add_option("--type", f->type, "Show only items about this kind of subject at first (t changes it)")
        ->check(CLI::IsMember(subject_types));
    tui.setting(tui.app().add_option("--claim-for", f->claim_for, "How long each claim lasts unless renewed (it is, while tui runs)")
                    ->check(duration_value())
                    ->default_str(claim_lease_text()),
                "", "moderate.claim_for");
    add_suspend_for(tui, *f);
    actor_option(tui, f->actor);
    tui.action([f](Context& ctx) {
        moderate::TuiOptions o;
        o.actor = f->actor;
        o.type = f->type;
        o.claim_for = parse_duration(f->claim_for, "--claim-for");
        o.suspend_for = parse_duration(f->suspend_for, "--suspend-for");
        return moderate::tui(ctx, o);
    });
    tui.examples("  spotctl moderate tui --as mod1@spot.example   # illustrative: needs a terminal\n"
                 "  NO_COLOR=1 spotctl moderate tui --type photo --as mod1@spot.example   # illustrative: needs a terminal");

    auto bulk = builder.subcommand("bulk", "Apply a CSV file of decisions (id, decision, reason) in one transaction");
    bulk.app().add_option("--file", f->bulk.file, "The CSV file: id,decision,reason per line; a header line is optional")
        ->required()
        ->check(CLI::ExistingFile);
    bulk.app().add_flag("--continue-on-error", f->bulk.continue_on_error,
                        "Apply every line that can be applied, and report each line's result");
    bulk.app().add_flag("--dry-run", f->bulk.dry_run, "Check and apply the file, then roll back: nothing is changed");
    add_suspend_for(bulk, *f);
    actor_option(bulk, f->actor);
    bulk.action([f](Context& ctx) {
        moderate::BulkOptions o = f->bulk;
        o.actor = f->actor;
        o.suspend_for = parse_duration(f->suspend_for, "--suspend-for");
        return moderate::bulk(ctx, o);
    });
    bulk.examples("  spotctl moderate bulk --file decisions.csv --dry-run --as mod1@spot.example   # illustrative: needs your decisions.csv\n"
                  "  spotctl moderate bulk --file decisions.csv --as mod1@spot.example               # illustrative: the same file\n"
                  "  spotctl moderate bulk --file decisions.csv --continue-on-error -o csv --as mod1@spot.example > report.csv   # illustrative: the same file");
}

}  // namespace spotctl::cli
