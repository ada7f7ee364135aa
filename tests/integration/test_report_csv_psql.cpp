// spotctl report export -o csv next to what psql writes for the same rows,
// `psql -c "\copy (SELECT ...) to stdout csv header"`: byte for byte with --raw, for every
// exportable table, on the demo data and on hostile text, in zones with DST and half-hour
// offsets; with the formula guard on, different only in the guarded cells.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "commands/report/catalog.hpp"
#include "commands/seed/csv_reader.hpp"
#include "exporters/csv_writer.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string demo_seeds = std::string(SPOTCTL_SOURCE_DIR) + "/seeds";

// The range of every export here: all of the demo data (October and November 2026) and the
// fraud alerts a scan creates now.
const char* const from = "2026-01-01";
const char* const to = "2099-12-31";
const char* const day_after_to = "2100-01-01";

// Text that CSV, COPY's text format or a spreadsheet make hard. Distinct values: payments'
// provider_ref is unique.
const std::vector<std::string> hostile = {
    "", " ", "  spaced  ", "plain", ",", "comma, inside", "\"", "\"\"", "\"quoted\"", "say \"hi\", then go",
    "line\nbreak", "crlf\r\nend", "cr\ronly", "\n", "trailing newline\n", "=SUM(A1:A9)", "=HYPERLINK(\"http://x\",\"y\")",
    "=1,2", "+1+2", "-2+3", "-", "@cmd", "\tlead tab", "tab\tinside", "\rlead cr", "'single'", ";semi;colon",
    "back\\slash", "\\", "\\N", "\\.", "NULL", "null", "Ünïcødé — पुणे 東京 😀", "é,\"\n", "bell\a, backspace\b, vt\v, ff\f",
    "\x01\x1f\x7f controls",
};

// One row per hostile text in every exported table with a free-text column, a minute apart
// from 05:30 UTC on 2026-11-01 (New York leaves summer time at 06:00 UTC), with microseconds.
void plant_hostile_rows(TempDatabase& db) {
    std::string user = db.scalar("SELECT id FROM users ORDER BY id LIMIT 1");
    std::string charger = db.scalar("SELECT id FROM chargers ORDER BY id LIMIT 1");
    REQUIRE(!user.empty());
    REQUIRE(!charger.empty());
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        const std::string at = fmt::format("2026-11-01 {:02}:{:02}:00.123456Z", 5 + (30 + i) / 60, (30 + i) % 60);
        auto& c = db.conn();
        c.exec("INSERT INTO coin_transactions (user_id, action, amount, description, metadata, created_at) "
               "VALUES ($2, 'adjustment', 1, $1, jsonb_build_object('text', $1::text), $3::timestamptz)",
               pg::params(hostile[i], user, at));
        c.exec("INSERT INTO payments (user_id, amount_minor, currency, method, provider_ref, status, created_at, updated_at) "
               "VALUES ($2, 100, 'INR', 'card', $1, 'succeeded', $3::timestamptz, $3::timestamptz)",
               pg::params(hostile[i], user, at));
        c.exec("INSERT INTO charger_verifications (charger_id, user_id, reported_status, note, created_at) "
               "VALUES ($4, $2, 'available', $1, $3::timestamptz)",
               pg::params(hostile[i], user, at, charger));
        c.exec("INSERT INTO moderation_items (subject_type, subject_id, reason, decision_note, created_at) "
               "VALUES ('charger', gen_random_uuid(), CASE WHEN btrim($1) = '' THEN 'blank' ELSE $1 END, $1, $2::timestamptz)",
               pg::params(hostile[i], at));
        c.exec("INSERT INTO fraud_alerts (rule, subject_type, subject_id, window_start, window_end, score, created_at) "
               "VALUES ('hostile_text', 'email', $1, $2::timestamptz - interval '1 hour', $2::timestamptz, 0.1234, $2::timestamptz)",
               pg::params(hostile[i], at));
    }
}

// The table's rows as a psql user asks for them: the catalog's columns, the days in the
// session's zone (PGTZ), oldest first.
std::string psql_query(const report::ExportTable& t) {
    std::string columns;
    for (const auto& c : t.columns) columns += (columns.empty() ? "" : ", ") + c.name;
    return fmt::format("SELECT {0} FROM {1} WHERE {2} >= '{3}' AND {2} < '{4}' ORDER BY {2}, id", columns, t.name, t.time_column,
                       from, day_after_to);
}

std::string psql_copy(TempDatabase& db, const report::ExportTable& t, const std::string& tz, const std::filesystem::path& file) {
    auto r = run_shell(fmt::format("PGTZ='{}' PGDATESTYLE=ISO psql -X -q -v ON_ERROR_STOP=1 '{}' -c \"\\copy ({}) to stdout csv header\" "
                                   ">'{}' 2>&1",
                                   tz, db.url(), psql_query(t), file.string()));
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return slurp(file);
}

std::string spotctl_export(TempDatabase& db, const report::ExportTable& t, const std::string& tz, const std::filesystem::path& file,
                           bool raw) {
    std::vector<std::string> args = {"--database-url", db.url(), "-q", "-o", "csv", "report", "export", std::string(t.name),
                                     "--from", from, "--to", to, "--tz", tz, "--output-file", file.string()};
    if (raw) args.push_back("--raw");
    auto r = run_spotctl(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return slurp(file);
}

// "" when equal, else the first line that differs in each (so a failure does not print
// megabytes).
std::string first_difference(const std::string& a, const std::string& b) {
    if (a == b) return "";
    std::size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    std::size_t start = a.rfind('\n', at == 0 ? 0 : at - 1);
    start = start == std::string::npos ? 0 : start + 1;
    auto line_of = [&](const std::string& s) { return s.substr(start, s.find('\n', at) - start); };
    return fmt::format("line {}: spotctl {:?} psql {:?}", std::count(a.begin(), a.begin() + static_cast<long>(start), '\n') + 1,
                       line_of(a), line_of(b));
}

std::vector<seed::CsvRecord> records(const std::filesystem::path& file) {
    seed::CsvReader reader(file);
    std::vector<seed::CsvRecord> out;
    seed::CsvRecord r;
    while (reader.next(r)) out.push_back(r);
    return out;
}

// A database with the demo data set and the fraud alerts a scan of its dates raises.
void load_demo(TempDatabase& db) {
    REQUIRE(run_spotctl({"--database-url", db.url(), "seed", "load", "--dir", demo_seeds}).exit_code == 0);
    REQUIRE(run_spotctl({"--database-url", db.url(), "-q", "fraud", "scan", "--from", "2026-10-01", "--to", "2026-12-01"}).exit_code == 0);
}

// Rows in all the exportable tables.
std::size_t rows_in_tables(TempDatabase& db) {
    std::size_t n = 0;
    for (const auto& t : report::export_tables()) n += std::stoul(db.scalar(fmt::format("SELECT count(*) FROM {}", t.name)));
    return n;
}

// Compares spotctl's raw export of every table with psql's, in `tz`; returns the records
// (rows, less the headers) psql wrote.
std::size_t compare_raw(TempDatabase& db, const std::string& tz) {
    TempDir dir;
    std::size_t rows = 0;
    for (const auto& t : report::export_tables()) {
        CAPTURE(t.name, tz);
        std::string ours = spotctl_export(db, t, tz, dir / "spotctl.csv", true);
        std::string theirs = psql_copy(db, t, tz, dir / "psql.csv");
        std::size_t records_written = records(dir / "psql.csv").size();
        REQUIRE(records_written > 1);  // a header and rows, so the comparison compares something
        CHECK(first_difference(ours, theirs) == "");
        rows += records_written - 1;
    }
    return rows;
}

}  // namespace

TEST_CASE("report export --raw -o csv is byte-identical to psql's copy to stdout csv header of the same query", "[report][csv]") {
    TempDatabase db("spotctl_template");
    load_demo(db);

    SECTION("on the demo data") {
        // Every row of every exportable table took part.
        CHECK(compare_raw(db, "UTC") == rows_in_tables(db));
        CHECK(rows_in_tables(db) > 400);
    }
    SECTION("on hostile text, in zones with DST and half-hour offsets") {
        plant_hostile_rows(db);
        for (const char* tz : {"UTC", "America/New_York", "Asia/Kolkata"}) CHECK(compare_raw(db, tz) == rows_in_tables(db));
    }
}

TEST_CASE("with the formula guard on, report export differs from psql's CSV only in the guarded cells", "[report][csv]") {
    TempDatabase db("spotctl_template");
    load_demo(db);
    plant_hostile_rows(db);
    TempDir dir;
    long long guarded_total = 0;
    for (const auto& t : report::export_tables()) {
        CAPTURE(t.name);
        std::string ours = spotctl_export(db, t, "UTC", dir / "spotctl.csv", false);
        std::string theirs = psql_copy(db, t, "UTC", dir / "psql.csv");
        // Read back by libcsv (the seed loader's strict reader), cell by cell.
        auto guarded = records(dir / "spotctl.csv");
        auto plain = records(dir / "psql.csv");
        REQUIRE(guarded.size() == plain.size());
        long long cells_guarded = 0;
        for (std::size_t r = 0; r < plain.size(); ++r) {
            CAPTURE(r);
            REQUIRE(guarded[r].fields.size() == t.columns.size());
            REQUIRE(plain[r].fields.size() == t.columns.size());
            for (std::size_t c = 0; c < t.columns.size(); ++c) {
                CAPTURE(t.columns[c].name);
                const auto& theirs_cell = plain[r].fields[c];
                bool text = t.columns[c].type == exporters::CellType::text || t.columns[c].type == exporters::CellType::json;
                if (r > 0 && text && theirs_cell && exporters::looks_like_formula(*theirs_cell)) {
                    CHECK(guarded[r].fields[c] == "'" + *theirs_cell);
                    ++cells_guarded;
                } else {
                    CHECK(guarded[r].fields[c] == theirs_cell);
                }
            }
        }
        // Each guard adds its one quote and changes nothing else: the guarded text needs quotes
        // exactly when the original does.
        CHECK(ours.size() == theirs.size() + static_cast<std::size_t>(cells_guarded));
        guarded_total += cells_guarded;
    }
    // The planted formulas (9 of the hostile texts) in every text column that holds them:
    // coin_transactions' description (metadata is a JSON object, never guarded), payments'
    // provider_ref, charger_verifications' note, moderation_items' reason and decision_note,
    // fraud_alerts' subject_id.
    CHECK(guarded_total == 9 * 6);
}
