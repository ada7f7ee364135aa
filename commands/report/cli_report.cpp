#include "commands/report/cli_report.hpp"

#include <memory>

#include "commands/report/catalog.hpp"
#include "commands/report/report.hpp"
#include "cli/time_options.hpp"

namespace spotctl::cli {
namespace {

struct ReportFlags {
    std::string name;
    report::Options options;
    std::optional<long> top;
};

// The flags run and export share: the date range, the zone, the output and where to run.
void add_common(CommandBuilder& sub, ReportFlags& f) {
    CLI::App& app = sub.app();
    auto from = app.add_option("--from", f.options.from,
                               "First day, in --tz: a date, a timestamp, a duration back from now (7d) or a named date "
                               "(today, yesterday, month-start, ...; see spotctl(1)) (run: default 29 days before --to)")
                    ->type_name("TIME");
    auto to = app.add_option("--to", f.options.to, "Last day, inclusive, in --tz; same forms as --from (run: default yesterday)")
                  ->type_name("TIME");
    range_shortcuts(app, f.options.from, f.options.to, {from, to});
    // report.tz for reports alone, else the platform's zone (the global `timezone`), else UTC:
    // the second setting applies only when the first found nothing.
    auto tz = app.add_option("--tz", f.options.tz, "Time zone of the dates and periods (IANA name; default: report.tz, then the "
                                                   "configuration's timezone, then UTC)")
                  ->default_str("UTC");
    sub.setting(tz, "SPOTCTL_REPORT_TZ", "report.tz");
    sub.setting(tz, "", "timezone");
    app.add_option("--output-file", f.options.output_file,
                   "Write to this file (atomically, mode 0640) instead of standard output; - for standard output");
    app.add_flag("--raw", f.options.raw,
                 "CSV: no formula guard (cells starting with = + - @ tab CR are left as they are); an export is then "
                 "byte-identical to psql's \\copy (same query) to stdout csv header");
    app.add_flag("--manifest", f.options.manifest,
                 "Write FILE.manifest.json beside the output: row count, bytes, sha256 and parameters");
    sub.setting(app.add_option("--replica-url", f.options.replica_url,
                               "Run on this PostgreSQL (a read replica) instead of --database-url"),
                "SPOTCTL_REPLICA_URL", "report.replica_url");
    sub.job_metrics("");  // one file per report: no configuration key
}

}  // namespace

void define_report(CommandBuilder& builder) {
    auto f = std::make_shared<ReportFlags>();
    builder.app().require_subcommand(1);
    builder.examples(
        "  spotctl report list\n"
        "  spotctl report run revenue --from 2026-03-01 --to 2026-03-31 --tz Europe/Berlin\n"
        "  spotctl report run usage --by week --city Pune -o pdf --output-file usage.pdf\n"
        "  spotctl report run revenue --month 2026-11 --tz Asia/Kolkata\n"
        "  spotctl report export payments --from last-month-start --to last-month-end -o csv --output-file payments.csv --manifest");

    auto list = builder.subcommand("list", "The reports, with their parameters and columns");
    list.action([](Context& ctx) { return report::list(ctx); });
    list.examples("  spotctl report list\n  spotctl report list -o json");

    std::string names, choices;
    for (const auto& r : report::reports()) {
        names += (names.empty() ? "" : ", ") + std::string(r.name);
        choices += (choices.empty() ? "" : ",") + std::string(r.name);
    }
    auto run = builder.subcommand("run", "Run a report over a date range: table, CSV, JSON or PDF");
    run.output_formats({"table", "json", "csv", "pdf"});
    // The type name lists the values, so shell completion offers them (report::run explains a typo).
    run.app().add_option("report", f->name, "The report: " + names)->required()->type_name("REPORT:{" + choices + "}");
    add_common(run, *f);
    run.app().add_option("--by", f->options.by, "Period of the rows of a report over time: day, week or month")
        ->check(CLI::IsMember({"day", "week", "month"}))
        ->default_str("day");
    run.app().add_option("--city", f->options.cities, "Only these cities (repeatable)");
    run.app().add_option("--lot", f->options.lots, "Only these parking lots, by id or exact name (repeatable)");
    run.app().add_option("--top", f->top, "coin-earners: how many users (default 10)")->check(CLI::Range(1, 1000000));
    run.app().add_flag("--no-totals{false}", f->options.totals,
                       "No totals row (table, CSV, PDF: first column TOTAL, the sum of each column that is a sum)");
    run.action([f](Context& ctx) {
        report::Options o = f->options;
        if (f->top) o.top = *f->top, o.top_given = true;
        return report::run(ctx, f->name, o);
    });
    run.examples(
        "  spotctl report run revenue                          # the last 30 days, by day, UTC\n"
        "  spotctl report run revenue --by month --from 2026-01-01 --to 2026-12-31 -o csv --output-file revenue-2026.csv\n"
        "  spotctl report run usage --city Pune --lot 'Koregaon Park' --tz Asia/Kolkata\n"
        "  spotctl report run impact --by month -o pdf --output-file impact.pdf\n"
        "  spotctl report run coin-earners --top 25 -o json\n"
        "  spotctl report run revenue -o csv | grep -v '^TOTAL,'     # the rows without the totals row\n"
        "  spotctl report run revenue -o csv --no-totals");

    std::string tables, table_choices;
    for (const auto& t : report::export_tables()) {
        tables += (tables.empty() ? "" : ", ") + std::string(t.name);
        table_choices += (table_choices.empty() ? "" : ",") + std::string(t.name);
    }
    auto exp = builder.subcommand("export", "Raw rows of a platform table between two dates, streamed, for finance");
    exp.app().add_option("table", f->name, "The table: " + tables)->required()->type_name("TABLE:{" + table_choices + "}");
    add_common(exp, *f);
    exp.action([f](Context& ctx) { return report::export_table(ctx, f->name, f->options); });
    exp.examples(
        "  spotctl report export payments --from 2026-03-01 --to 2026-03-31 -o csv --output-file payments-2026-03.csv --manifest\n"
        "  spotctl report export coin_transactions --from yesterday --to yesterday --tz Asia/Kolkata -o json");
}

}  // namespace spotctl::cli
