#include "commands/user/cli_user.hpp"

#include <memory>

#include "cli/actor_option.hpp"
#include "commands/user/sessions.hpp"
#include "commands/user/directory.hpp"
#include "commands/user/user.hpp"

namespace spotctl::cli {
namespace {

struct UserFlags {
    std::string actor;
    std::string ref;
    std::string until;
    std::string reason;
    std::string file;
    bool yes = false;
    std::string session;
    bool all = false;
};

void define_sanction(CommandBuilder& builder, const std::shared_ptr<UserFlags>& f, user::Sanction s, const std::string& summary,
                     const std::string& examples) {
    std::string name(user::sanction_name(s));
    auto sub = builder.subcommand(name, summary);
    sub.app().add_option("user", f->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    if (s == user::Sanction::suspend)
        sub.app().add_option("--until", f->until, "When the suspension ends: a duration from now (7d), a date (through that day) or a timestamp (2026-12-31T00:00:00Z)")
            ->required();
    sub.app().add_option("--reason", f->reason, "Why (kept in the audit log)")->required();
    actor_option(sub, f->actor);
    sub.action([f, s](Context& ctx) {
        user::SanctionOptions o;
        o.actor = f->actor;
        o.ref = f->ref;
        o.sanction = s;
        if (!f->until.empty()) o.until = f->until;
        o.reason = f->reason;
        return user::sanction(ctx, o);
    });
    sub.examples(examples);
}

}  // namespace

void define_user(CommandBuilder& builder) {
    auto f = std::make_shared<UserFlags>();
    builder.app().require_subcommand(1);
    builder.examples(
        "  spotctl user find priya\n"
        "  spotctl user list --status suspended --role user\n"
        "  spotctl user show priya.sharma@example.com\n"
        "  spotctl user suspend priya.sharma@example.com --until 7d --reason 'spam reviews' --as mod1@spot.example\n"
        "  spotctl user export 00000000-0000-4000-8000-000000000011 --file dar-1234.json --as mod1@spot.example\n"
        "  spotctl user erase 00000000-0000-4000-8000-000000000011 --yes --as admin@spot.example");

    auto find_opts = std::make_shared<user::FindOptions>();
    auto find = builder.subcommand("find", "Find accounts by part of an e-mail or name, digits of a phone number, or an id prefix");
    find.app().add_option("text", find_opts->text, "What to look for (3 characters or more)")->required();
    find.app().add_option("--limit", find_opts->limit, "At most N accounts")->check(CLI::Range(1L, 100000L))->default_str("50");
    find.action([find_opts](Context& ctx) { return user::find(ctx, *find_opts); });
    find.examples("  spotctl user find priya\n  spotctl user find 98000 -o json");

    auto list_opts = std::make_shared<user::ListOptions>();
    auto list = builder.subcommand("list", "Accounts by status and role, newest first");
    list.app().add_option("--status", list_opts->status, "active, suspended, banned or deleted")
        ->check(CLI::IsMember({"active", "suspended", "banned", "deleted"}));
    list.app().add_option("--role", list_opts->role, "user, operator, moderator or admin")
        ->check(CLI::IsMember({"user", "operator", "moderator", "admin"}));
    list.app().add_option("--limit", list_opts->limit, "At most N accounts")->check(CLI::Range(1L, 1000000L))->default_str("100");
    list.action([list_opts](Context& ctx) { return user::list(ctx, *list_opts); });
    list.examples("  spotctl user list --status suspended\n  spotctl user list --role moderator -o csv");

    auto show = builder.subcommand("show", "Profile, status, balance, recent sessions and logins, risk, moderation history");
    show.output_formats({"table", "json"});  // a document: nested parts have no CSV form
    show.app().add_option("user", f->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    show.action([f](Context& ctx) { return user::show(ctx, f->ref); });
    show.examples("  spotctl user show priya.sharma@example.com\n  spotctl user show 00000000-0000-4000-8000-000000000011 -o json");

    define_sanction(builder, f, user::Sanction::suspend,
                    "Suspend an account until a time: revokes its sessions and removes its cache keys",
                    "  spotctl user suspend priya.sharma@example.com --until 7d --reason 'spam reviews' --as mod1@spot.example\n"
                    "  spotctl user suspend priya.sharma@example.com --until 2026-12-31T00:00:00Z --reason 'chargeback' --as mod1@spot.example");
    define_sanction(builder, f, user::Sanction::ban, "Ban an account (admins only): revokes its sessions and removes its cache keys",
                    "  spotctl user ban priya.sharma@example.com --reason 'fraud ring' --as admin@spot.example");
    define_sanction(builder, f, user::Sanction::restore, "Lift a suspension or ban",
                    "  spotctl user restore sandeep.rawat@example.com --reason 'appeal accepted' --as mod1@spot.example");

    auto sessions = builder.subcommand("sessions", "An account's login sessions (revoke: end them and drop their cached keys)");
    sessions.app().require_subcommand(0, 1);
    sessions.app().add_option("user", f->ref, "The account: its id or e-mail");
    sessions.action([f](Context& ctx) {
        if (f->ref.empty()) throw Error(Exit::usage, "user sessions needs the account (id or e-mail)");
        return user::list_sessions(ctx, f->ref);
    });
    sessions.examples("  spotctl user sessions priya.sharma@example.com\n"
                      "  spotctl user sessions revoke priya.sharma@example.com --all --reason 'lost phone' --as mod1@spot.example");
    auto revoke = sessions.subcommand("revoke", "Revoke one session or all active ones, and drop their cached keys");
    revoke.app().add_option("user", f->ref, "The account: its id or e-mail")->required();
    revoke.app().add_option("session", f->session, "The session's id (from `user sessions USER`), or give --all");
    revoke.app().add_flag("--all", f->all, "Every active session of the account");
    revoke.app().add_option("--reason", f->reason, "Why (kept in the audit log)")->required();
    actor_option(revoke, f->actor);
    revoke.action([f](Context& ctx) {
        user::RevokeSessionsOptions o;
        o.actor = f->actor;
        o.ref = f->ref;
        o.session = f->session;
        o.all = f->all;
        o.reason = f->reason;
        return user::revoke_sessions(ctx, o);
    });
    revoke.examples("  spotctl user sessions revoke priya.sharma@example.com --all --reason 'lost phone' --as mod1@spot.example\n"
                    "  spotctl user sessions revoke priya.sharma@example.com 00000000-0000-4000-8000-0000000000aa --reason 'unknown device' --as mod1@spot.example   # illustrative: a session id from `user sessions`");

    auto exp = builder.subcommand("export", "Everything the platform holds about a person, as JSON (data access request)");
    exp.app().add_option("user", f->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    exp.app().add_option("--file", f->file, "Write the JSON here (mode 0600, written atomically) instead of stdout");
    actor_option(exp, f->actor);
    exp.action([f](Context& ctx) { return user::export_data(ctx, {f->actor, f->ref, f->file}); });
    exp.examples("  spotctl user export priya.sharma@example.com --as mod1@spot.example > rider.json\n"
                 "  spotctl user export 00000000-0000-4000-8000-000000000011 --file dar-1234.json --as mod1@spot.example");

    auto erase = builder.subcommand("erase", "Anonymise a person (erasure request, admins only); the ledger and payments stay consistent");
    erase.app().add_option("user", f->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    erase.app().add_option("--reason", f->reason, "Why (kept in the audit log; default 'erasure request')");
    erase.app().add_flag("-y,--yes", f->yes, "Confirm without a prompt (needed without a terminal)");
    actor_option(erase, f->actor);
    erase.action([f](Context& ctx) {
        user::EraseOptions o;
        o.actor = f->actor;
        o.ref = f->ref;
        if (!f->reason.empty()) o.reason = f->reason;
        o.yes = f->yes;
        return user::erase(ctx, o);
    });
    erase.examples("  spotctl user erase 00000000-0000-4000-8000-000000000011 --yes --reason 'erasure request #4711' --as admin@spot.example");
}

}  // namespace spotctl::cli
