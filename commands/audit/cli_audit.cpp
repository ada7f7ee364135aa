#include "commands/audit/cli_audit.hpp"

#include <memory>

#include "cli/time_options.hpp"
#include "commands/audit/audit_log.hpp"

namespace spotctl::cli {

void define_audit(CommandBuilder& builder) {
    auto o = std::make_shared<auditlog::Options>();
    CLI::App& app = builder.app();
    app.add_option("--actor", o->actor, "Only rows by this staff member (e-mail or id; 'system' for jobs without one)");
    app.add_option("--subject", o->subject, "Only rows about this subject: an id, or TYPE:ID (user:ID, moderation_item:ID)");
    app.add_option("--action", o->action, "Only this action (user.suspend), or actions starting with a prefix ending in '.' (moderation.)");
    auto since = app.add_option("--since,--from", o->since, "Only rows since this time (2026-12-01), this long back (24h) or a named date (yesterday)")
                     ->type_name("TIME");
    auto to = app.add_option("--to", o->to, "Only rows before this time; a date includes its whole day")->type_name("TIME");
    range_shortcuts(app, o->since, o->to, {since, to});
    app.add_option("--limit", o->limit, "The most recent this many rows (0: all)")->check(CLI::NonNegativeNumber)->default_str("100");
    builder.action([o](Context& ctx) { return auditlog::list(ctx, *o); });
    builder.examples(
        "  spotctl audit --since 24h\n"
        "  spotctl audit --month 2026-11 --action user.\n"
        "  spotctl audit --actor mod1@spot.example --action moderation. -o csv > mod1.csv\n"
        "  spotctl audit --subject user:00000000-0000-4000-8000-000000000011 -o json");
}

}  // namespace spotctl::cli
