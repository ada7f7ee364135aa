#include "commands/report/report.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/report/catalog.hpp"
#include "commands/report/totals.hpp"
#include "commands/report/sources.hpp"
#include "core/iso_time.hpp"
#include "core/time_spec.hpp"
#include "core/atomic_file.hpp"
#include "core/log.hpp"
#include "core/output_file.hpp"
#include "core/pg_copy.hpp"
#include "core/progress.hpp"
#include "core/terminal.hpp"
#include "exporters/total_row.hpp"

namespace spotctl::report {
namespace {

using exporters::CellType;
using exporters::Format;

pg::Settings database(Context& ctx, const Options& o) {
    pg::Settings s = ctx.pg_settings();
    if (!o.replica_url.empty()) s.url = o.replica_url;
    return s;
}

// Unix time of the document: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
long long generation_time() {
    if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
        char* end = nullptr;
        long long v = std::strtoll(e, &end, 10);
        if (*end != '\0' || v < 0)
            throw Error(Exit::usage, fmt::format("SOURCE_DATE_EPOCH must be a Unix time in seconds, not '{}'", e));
        return v;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Range {
    std::string from, to;  // YYYY-MM-DD
};

// Resolves and checks --tz, --from and --to on the server (its time zone database and
// calendar), so "yesterday" means yesterday in the report's zone.
Range resolve_range(pg::Connection& db, const Options& o) {
    try {
        db.exec("SELECT now() AT TIME ZONE $1", pg::params(o.tz));
    } catch (const pg::DbError&) {
        throw Error(Exit::usage, fmt::format("--tz '{}' is not a time zone PostgreSQL knows", o.tz),
                    "use an IANA name such as UTC, Europe/Berlin or Asia/Kolkata");
    }
    auto resolve = [&](const std::string& flag, const std::string& value) {
        return time_spec::resolve_date(db, time_spec::parse(value, flag), o.tz);
    };
    Range range;
    range.to = resolve("--to", o.to.empty() ? "yesterday" : o.to);
    if (o.from.empty())
        range.from = db.exec("SELECT ($1::date - 29)::text", pg::params(range.to))[0].str(0);
    else
        range.from = resolve("--from", o.from);
    if (range.from > range.to)
        throw Error(Exit::usage, fmt::format("--from {} is after --to {}", range.from, range.to));
    return range;
}

std::string json_list(const std::vector<std::string>& values) { return nlohmann::json(values).dump(); }

std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
    return out;
}

// The file, its manifest and the metrics, once the rows are all written.
struct Finish {
    std::string kind;  // report or export name, for the manifest and the metrics
    long long rows = 0;
};

void write_manifest(OutputFile& out, const exporters::Document& doc, Format format, const Finish& f) {
    nlohmann::ordered_json m;
    m["file"] = out.path().filename().string();
    m["format"] = std::string(exporters::format_name(format));
    m["rows"] = f.rows;
    m["bytes"] = out.bytes();
    m["sha256"] = out.sha256_hex();
    m["generated_at"] = doc.generated_at;
    nlohmann::ordered_json p = nlohmann::ordered_json::object();
    for (const auto& [k, v] : doc.parameters) p[k] = v;
    m["parameters"] = p;
    std::filesystem::path path = out.path();
    path += ".manifest.json";
    write_file_atomically(path, m.dump(2) + "\n", 0640);
}

void check_output(Context& ctx, const Options& o, Format format) {
    bool to_stdout = o.output_file.empty() || o.output_file == "-";
    if (o.manifest && to_stdout)
        throw Error(Exit::usage, "--manifest needs --output-file: the manifest is written beside the file");
    if (format == Format::pdf && to_stdout && terminal::stdout_is_tty())
        throw Error(Exit::usage, "refusing to write a PDF to a terminal", "add --output-file FILE.pdf or redirect standard output");
    (void)ctx;
}

void done(Context& ctx, OutputFile& out, const exporters::Document& doc, Format format, const Options& o, const Finish& f) {
    out.commit();
    if (o.manifest) write_manifest(out, doc, format, f);
    ctx.job().rows_affected = f.rows;
    if (!out.is_stdout() && !ctx.options().quiet)
        log::status("wrote {} rows ({} bytes) to '{}'", f.rows, out.bytes(), out.path().string());
}

// A window that holds none of the report's rows says so, and where the data lies: a report of
// zeros over the wrong dates should not read as a quiet month.
void explain_empty_window(Context& ctx, pg::Connection& db, const Report& report, const Range& range, const Options& o) {
    const auto& sources = sources_of(report.name);
    if (ctx.options().quiet || sources.empty()) return;
    auto b = db.exec("SELECT ($1::date::timestamp AT TIME ZONE $3)::text AS from_ts, "
                     "(($2::date + 1)::timestamp AT TIME ZONE $3)::text AS to_ts",
                     pg::params(range.from, range.to, o.tz));
    std::string from = b[0].str("from_ts"), to = b[0].str("to_ts");
    if (!holds_rows(db, sources, from, to))
        log::status("no data from {} to {}: {}", range.from, range.to, data_extent(db, sources, from, to).text);
}

}  // namespace

int list(Context& ctx) {
    auto writer = ctx.writer();
    writer->begin({{"report"}, {"over_time", CellType::boolean}, {"filters"}, {"columns"}, {"description"}});
    for (const auto& r : reports()) {
        std::vector<std::string> filters = {"--from", "--to", "--tz"};
        if (r.over_time) filters.push_back("--by");
        if (r.filters & city) filters.push_back("--city");
        if (r.filters & lot) filters.push_back("--lot");
        if (r.top) filters.push_back("--top");
        std::vector<std::string> cols;
        for (const auto& c : r.columns) cols.push_back(c.name);
        writer->row({std::string(r.name), r.over_time ? "true" : "false", join(filters), join(cols), std::string(r.description)});
    }
    writer->end();
    return 0;
}

int run(Context& ctx, const std::string& name, const Options& o) {
    const Report& report = find_report(name);
    Format format = ctx.format();  // one of report run's declared formats: cli/app.cpp refused any other
    if (o.by != "day" && o.by != "week" && o.by != "month")
        throw Error(Exit::usage, fmt::format("--by '{}' is not a period", o.by), "use --by day, week or month");
    if (!report.over_time && o.by != "day")
        throw Error(Exit::usage, fmt::format("report '{}' is not over time: --by does not apply", name));
    if (!o.cities.empty() && !(report.filters & city))
        throw Error(Exit::usage, fmt::format("report '{}' has no --city filter", name));
    if (!o.lots.empty() && !(report.filters & lot))
        throw Error(Exit::usage, fmt::format("report '{}' has no --lot filter", name));
    if (o.top_given && !report.top) throw Error(Exit::usage, fmt::format("report '{}' has no --top", name));
    if (o.top < 1) throw Error(Exit::usage, "--top must be at least 1");
    check_output(ctx, o, format);

    Finish f{std::string(report.name), 0};
    ctx.job().labels["report"] = f.kind;
    pg::Connection db(database(ctx, o));
    Range range = resolve_range(db, o);

    exporters::Document doc;
    doc.title = std::string(report.title);
    doc.description = std::string(report.description);
    doc.generated_epoch = generation_time();
    doc.generated_at = iso_utc(doc.generated_epoch);
    doc.parameters = {{"report", std::string(report.name)}, {"from", range.from}, {"to", range.to}, {"time zone", o.tz}};
    if (report.over_time) doc.parameters.push_back({"by", o.by});
    if (!o.cities.empty()) doc.parameters.push_back({"city", join(o.cities)});
    if (!o.lots.empty()) doc.parameters.push_back({"lot", join(o.lots)});
    pg::Params params = pg::params(range.from, range.to, o.tz, o.by, json_list(o.cities), json_list(o.lots));
    if (report.top) {
        params.push_back(std::to_string(o.top));
        doc.parameters.push_back({"top", std::to_string(o.top)});
    }
    if (report.name == "impact") {
        const auto& k = impact_constants;
        for (double v : {k.search_minutes_per_reservation, k.search_minutes_per_charger_check, k.cruising_speed_kmh,
                         k.fuel_litres_per_km, k.co2_kg_per_litre})
            params.push_back(pg::to_value(v));
    }
    if (report.over_time) doc.chart = report.chart;
    doc.notes = report.notes;

    log::info("report {}: {} to {} ({}, by {})", report.name, range.from, range.to, o.tz, o.by);
    auto result = db.exec(report.sql, params);

    OutputFile out(o.output_file, 0640, o.manifest);
    exporters::WriterOptions wo;
    wo.csv_raw = o.raw;
    wo.document = &doc;
    wo.color = out.is_stdout() && terminal::color_enabled();
    if (out.is_stdout() && !ctx.options().wide) wo.max_width = terminal::stdout_columns();
    auto writer = exporters::make_writer(format, out.stream(), wo);
    writer->begin(report.columns);
    // JSON is for programs, which sum what they need; its rows stay the report's rows.
    Totals totals(report.name, report.columns);
    bool with_totals = o.totals && format != Format::json && totals.applies();
    std::vector<exporters::Cell> cells(report.columns.size());
    for (const auto& row : result) {
        for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = row.value(i);
        writer->row(cells);
        if (with_totals) totals.add(cells);
        ++f.rows;
    }
    if (with_totals)
        for (const auto& total : totals.rows()) exporters::write_total(*writer, total);
    writer->end();
    done(ctx, out, doc, format, o, f);
    explain_empty_window(ctx, db, report, range, o);
    return 0;
}

int export_table(Context& ctx, const std::string& name, const Options& o) {
    const ExportTable& table = find_export_table(name);
    Format format = ctx.format();  // table, json or csv: cli/app.cpp refused any other
    if (o.by != "day" || !o.cities.empty() || !o.lots.empty() || o.top_given)
        throw Error(Exit::usage, "report export takes --from, --to and --tz only");
    if (o.from.empty() || o.to.empty())
        throw Error(Exit::usage, "report export needs --from and --to", "for example --from 2026-03-01 --to 2026-03-31");
    check_output(ctx, o, format);

    Finish f{"export_" + std::string(table.name), 0};
    ctx.job().labels["report"] = f.kind;
    pg::Settings settings = database(ctx, o);
    Range range;
    {
        pg::Connection db(settings);
        range = resolve_range(db, o);
    }
    exporters::Document doc;
    doc.title = "Export of " + std::string(table.name);
    doc.generated_epoch = generation_time();
    doc.generated_at = iso_utc(doc.generated_epoch);
    doc.parameters = {{"table", std::string(table.name)}, {"from", range.from}, {"to", range.to}, {"time zone", o.tz}};

    // Table and column names come from the allow-list in catalog.cpp, never from the command
    // line; the dates and the zone travel as settings the query reads.
    std::string columns;
    for (const auto& c : table.columns) columns += (columns.empty() ? "" : ", ") + std::string(c.name);
    std::string sql = fmt::format(
        "COPY (SELECT {cols} FROM {table} "
        "WHERE {time} >= current_setting('spotctl.from')::date::timestamp AT TIME ZONE current_setting('TimeZone') "
        "AND {time} < (current_setting('spotctl.to')::date + 1)::timestamp AT TIME ZONE current_setting('TimeZone') "
        "ORDER BY {time}, id) TO STDOUT",
        fmt::arg("cols", columns), fmt::arg("table", table.name), fmt::arg("time", table.time_column));
    log::info("export {}: {} to {} ({})", table.name, range.from, range.to, o.tz);
    pg::CopyOut copy(settings, {{"TimeZone", o.tz}, {"DateStyle", "ISO, YMD"}, {"spotctl.from", range.from}, {"spotctl.to", range.to}},
                     sql);

    OutputFile out(o.output_file, 0640, o.manifest);
    exporters::WriterOptions wo;
    wo.csv_raw = o.raw;
    wo.color = out.is_stdout() && terminal::color_enabled();
    if (format == Format::json) wo.document = &doc;
    auto writer = exporters::make_writer(format, out.stream(), wo);
    writer->begin(table.columns);
    Progress progress("export " + std::string(table.name));
    std::vector<pg::Value> fields;
    while (copy.next(fields)) {
        writer->row(fields);
        ++f.rows;
        if ((f.rows & 0x3ff) == 0) progress.advance(1024);
    }
    progress.finish();
    writer->end();
    done(ctx, out, doc, format, o, f);
    return 0;
}

}  // namespace spotctl::report
