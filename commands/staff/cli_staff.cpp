#include "commands/staff/cli_staff.hpp"

#include <memory>

#include "cli/actor_option.hpp"
#include "commands/staff/staff.hpp"

namespace spotctl::cli {

void define_staff(CommandBuilder& builder) {
    auto o = std::make_shared<staff::RoleChangeOptions>();
    builder.app().require_subcommand(1);
    builder.examples(
        "  spotctl staff list\n"
        "  spotctl staff grant rahul.verma+spot@example.com moderator --reason 'joins the support rota' --as admin@spot.example\n"
        "  spotctl staff revoke mod3@spot.example --reason 'left the support team' --as admin@spot.example");

    auto list = builder.subcommand("list", "Every moderator and admin: role, when and from whom, their last decision");
    list.action([](Context& ctx) { return staff::list(ctx); });
    list.examples("  spotctl staff list\n  spotctl staff list -o csv");

    auto grant = builder.subcommand("grant", "Make an account a moderator or an admin (admins only, audited)");
    grant.app().add_option("user", o->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    grant.app().add_option("role", o->role, "moderator or admin")->required()->check(CLI::IsMember({"moderator", "admin"}));
    grant.app().add_option("--reason", o->reason, "Why (kept in the audit log and role_grants)")->required();
    actor_option(grant, o->actor);
    grant.action([o](Context& ctx) { return staff::grant(ctx, *o); });
    grant.examples("  spotctl staff grant rahul.verma+spot@example.com moderator --reason 'joins the support rota' --as admin@spot.example\n"
                   "  spotctl staff grant mod1@spot.example admin --reason 'on-call lead' --as admin@spot.example");

    auto revoke = builder.subcommand("revoke", "Take an account's staff role away (admins only, audited; never the last admin)");
    revoke.app().add_option("user", o->ref, "The account: its e-mail, its id or a unique prefix of the id")->required();
    revoke.app().add_option("--reason", o->reason, "Why (kept in the audit log and role_grants)")->required();
    actor_option(revoke, o->actor);
    revoke.action([o](Context& ctx) { return staff::revoke(ctx, *o); });
    revoke.examples("  spotctl staff revoke mod3@spot.example --reason 'left the support team' --as admin@spot.example");
}

}  // namespace spotctl::cli
