#include "commands/seed/fixture_loader.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <set>

#include "commands/seed/catalog.hpp"
#include "commands/seed/csv_reader.hpp"
#include "core/data_dir.hpp"
#include "rulebook/environment_guard.hpp"
#include "core/job_lock.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"

namespace spotctl::seed {
namespace fs = std::filesystem;

OnConflict parse_on_conflict(const std::string& text) {
    if (text == "skip") return OnConflict::skip;
    if (text == "update") return OnConflict::update;
    if (text == "error") return OnConflict::error;
    throw Error(Exit::usage, fmt::format("unknown --on-conflict '{}'", text), "use skip, update or error");
}

namespace {

constexpr const char* stage = "_spotctl_stage";

struct FileLoad {
    const TableInfo* table;
    fs::path path;
    std::vector<std::string> columns;  // as in the header
    std::vector<std::size_t> lines;    // file line of each data row (row n at index n-1), when staged
    std::size_t rows = 0;
};

bool identity_given(const FileLoad& f) {
    return std::any_of(f.columns.begin(), f.columns.end(), [&](const std::string& c) { return f.table->column(c)->identity_always; });
}

std::string join_quoted(pg::Transaction& tx, const std::vector<std::string>& names, const std::string& prefix = "") {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + prefix + tx.quote_name(n);
    return out;
}

std::size_t column_number(const FileLoad& f, const std::string& column) {
    auto it = std::find(f.columns.begin(), f.columns.end(), column);
    return it == f.columns.end() ? 1 : static_cast<std::size_t>(it - f.columns.begin()) + 1;
}

// The column a constraint error is about, from PostgreSQL's message and detail.
std::string column_of(const pg::DbError& e) {
    static const std::regex patterns[] = {
        std::regex(R"re(null value in column "([^"]+)")re"),
        std::regex(R"(Key \(([^),]+)\)=)"),
        std::regex(R"(column ([A-Za-z_][A-Za-z0-9_]*)(:| |$))"),
    };
    std::smatch m;
    for (const auto& re : patterns)
        if (std::regex_search(e.detail(), m, re)) return m[1].str();
    return {};
}

// Reads the header row: every name must be a column of the table, once.
void read_header(CsvReader& reader, FileLoad& f) {
    CsvRecord record;
    if (!reader.next(record)) throw Error(Exit::data, fmt::format("{}: empty file: a header row is needed", reader.where(1, 1)));
    std::set<std::string> seen;
    f.columns.clear();
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        std::string name = record.fields[i].value_or("");
        if (!f.table->column(name))
            throw Error(Exit::data, fmt::format("{}: unknown column \"{}\" in table \"{}\"", reader.where(record.line, i + 1), name,
                                                f.table->name));
        if (!seen.insert(name).second)
            throw Error(Exit::data, fmt::format("{}: column \"{}\" appears twice in the header", reader.where(record.line, i + 1), name));
        f.columns.push_back(name);
    }
}

// Streams the data rows into `target` through COPY; with row numbers (the staging table)
// each row also carries its number, and the file line of each is remembered.
void copy_rows(pg::Transaction& tx, CsvReader& reader, FileLoad& f, const std::string& target, bool numbered, Progress& progress) {
    std::vector<std::string> copy_columns = f.columns;
    if (numbered) copy_columns.push_back("_spotctl_row");
    auto copy = tx.copy_in(target, copy_columns);
    std::vector<const char*> values(copy_columns.size());
    std::string row_number;
    CsvRecord record;
    std::size_t rows = 0;
    f.lines.clear();
    while (reader.next(record)) {
        if (record.fields.size() != f.columns.size())
            throw Error(Exit::data, fmt::format("{}: expected {} fields as in the header, found {}",
                                                reader.where(record.line, std::min(record.fields.size(), f.columns.size()) + 1),
                                                f.columns.size(), record.fields.size()));
        for (std::size_t i = 0; i < record.fields.size(); ++i) values[i] = record.fields[i] ? record.fields[i]->c_str() : nullptr;
        ++rows;
        if (numbered) {
            f.lines.push_back(record.line);
            row_number = std::to_string(rows);
            values.back() = row_number.c_str();
        }
        copy.row(values);
        progress.advance();
    }
    copy.finish();
    f.rows = rows;
}

// The exit code of a row the database refused: bad data (65), unless the database said otherwise
// (a missing privilege is 77, a lost connection 69), which no edit of the file would fix.
Exit load_exit(const pg::DbError& e) { return e.code() == Exit::internal ? Exit::data : e.code(); }

// Reads one file into the staging table; a value that does not fit its column is reported
// at its line and column.
void stage_file(pg::Transaction& tx, FileLoad& f, Progress& progress) {
    CsvReader reader(f.path);
    read_header(reader, f);
    tx.exec(fmt::format("DROP TABLE IF EXISTS {0}; CREATE TEMP TABLE {0} ON COMMIT DROP AS SELECT {1} FROM {2} WITH NO DATA; "
                        "ALTER TABLE {0} ADD COLUMN _spotctl_row bigint",
                        stage, join_quoted(tx, f.columns), tx.quote_name(f.table->name)));
    try {
        copy_rows(tx, reader, f, stage, true, progress);
    } catch (const pg::DbError& e) {
        // "COPY _spotctl_stage, line N, column c: ..." names the row and column that did not fit.
        std::smatch m;
        static const std::regex context(R"(COPY _spotctl_stage, line (\d+)(, column ([^:]+))?)");
        if (std::regex_search(e.detail(), m, context)) {
            std::size_t row = std::stoul(m[1].str());
            std::size_t line = row >= 1 && row <= f.lines.size() ? f.lines[row - 1] : 0;
            std::string column = m[3].matched ? m[3].str() : "";
            throw Error(load_exit(e), fmt::format("{}: {}{}", reader.where(line, column_number(f, column)), e.what(),
                                                  column.empty() ? "" : fmt::format(" (column \"{}\")", column)));
        }
        throw Error(load_exit(e), fmt::format("{}: {}", f.path.string(), e.what()));
    }
}

std::string insert_sql(pg::Transaction& tx, const FileLoad& f, OnConflict mode, const std::string& where) {
    const TableInfo& t = *f.table;
    bool key_given = !t.primary_key.empty() && std::all_of(t.primary_key.begin(), t.primary_key.end(), [&](const std::string& k) {
        return std::find(f.columns.begin(), f.columns.end(), k) != f.columns.end();
    });
    std::string cols = join_quoted(tx, f.columns);
    std::string sql = fmt::format("INSERT INTO {} ({}){} SELECT {} FROM {} s WHERE {}", tx.quote_name(t.name), cols,
                                  identity_given(f) ? " OVERRIDING SYSTEM VALUE" : "", join_quoted(tx, f.columns, "s."), stage, where);
    if (mode != OnConflict::error && !key_given) {
        // No key in the file (an identity column left to the database): a row counts as
        // present when an identical one exists, so loading twice adds nothing.
        std::string same;
        for (const auto& c : f.columns)
            same += fmt::format("{}t.{} IS NOT DISTINCT FROM s.{}", same.empty() ? "" : " AND ", tx.quote_name(c), tx.quote_name(c));
        sql += fmt::format(" AND NOT EXISTS (SELECT 1 FROM {} t WHERE {})", tx.quote_name(t.name), same);
    }
    sql += " ORDER BY s._spotctl_row";
    if (mode == OnConflict::skip && key_given) {
        sql += " ON CONFLICT DO NOTHING";
    } else if (mode == OnConflict::update && key_given) {
        std::string sets;
        for (const auto& c : f.columns)
            if (std::find(t.primary_key.begin(), t.primary_key.end(), c) == t.primary_key.end())
                sets += fmt::format("{}{} = EXCLUDED.{}", sets.empty() ? "" : ", ", tx.quote_name(c), tx.quote_name(c));
        sql += fmt::format(" ON CONFLICT ({}) DO {}", join_quoted(tx, t.primary_key), sets.empty() ? "NOTHING" : "UPDATE SET " + sets);
    }
    return sql + " RETURNING (xmax = 0) AS inserted";
}

// Finds the first row that makes the insert fail by bisection: rows before the range are
// inserted for good (later rows may depend on them), the range holds the first failure.
[[noreturn]] void report_failing_row(pg::Transaction& tx, const FileLoad& f, OnConflict mode, const pg::DbError& original) {
    std::size_t lo = 1, hi = f.lines.size() + 1;
    auto try_range = [&](std::size_t a, std::size_t b) -> std::optional<pg::DbError> {
        try {
            auto sp = tx.savepoint();
            sp.exec(insert_sql(tx, f, mode, fmt::format("s._spotctl_row >= {} AND s._spotctl_row < {}", a, b)));
            sp.commit();
            return std::nullopt;
        } catch (const pg::DbError& e) {
            return e;
        }
    };
    std::optional<pg::DbError> failure = original;
    while (hi - lo > 1) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (auto e = try_range(lo, mid)) {
            hi = mid;
            failure = e;
        } else {
            lo = mid;
        }
    }
    if (auto e = try_range(lo, hi)) failure = e;
    std::string column = column_of(*failure);
    std::smatch m;
    static const std::regex check(R"re(violates check constraint "([^"]+)")re");
    if (column.empty() && std::regex_search(failure->detail(), m, check)) {
        auto cols = tx.exec("SELECT a.attname AS name FROM pg_constraint c JOIN pg_attribute a "
                            "ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.conname = $1 ORDER BY a.attnum LIMIT 1",
                            pg::params(m[1].str()));
        if (!cols.empty()) column = cols[0].str("name");
    }
    std::size_t line = lo >= 1 && lo <= f.lines.size() ? f.lines[lo - 1] : 1;
    std::string detail;
    auto pos = failure->detail().find("DETAIL:  ");
    // Key details help ("Key (added_by)=(...) is not present"); a dump of the failing row does not.
    if (pos != std::string::npos && failure->detail().compare(pos + 9, 5, "Key (") == 0) {
        detail = failure->detail().substr(pos + 9);
        detail = ": " + detail.substr(0, detail.find('\n'));
    }
    throw Error(load_exit(*failure), fmt::format("{}:{}:{}: {}{}", f.path.string(), line, column_number(f, column), failure->what(), detail));
}

TableLoad load_file(pg::Transaction& tx, FileLoad& f, OnConflict mode) {
    // Fast path: into an empty table nothing can conflict, so the rows go straight in with one
    // COPY, as psql's \copy does. Any database error falls back to the staged load below,
    // which finds the failing line (or, for duplicates inside the file, applies --on-conflict).
    bool empty = tx.exec(fmt::format("SELECT NOT EXISTS (SELECT 1 FROM {}) AS empty", tx.quote_name(f.table->name)))[0].boolean("empty");
    if (empty) {
        CsvReader reader(f.path);
        read_header(reader, f);
        if (!identity_given(f)) {
            try {
                Progress progress(fmt::format("loading {}", f.path.filename().string()));
                auto sp = tx.savepoint();
                copy_rows(sp, reader, f, f.table->name, false, progress);
                sp.commit();
                auto n = static_cast<long long>(f.rows);
                return TableLoad{f.table->name, f.path.string(), n, n, 0, 0};
            } catch (const pg::DbError& e) {
                if (e.code() == Exit::unavailable) throw;
                log::debug("direct load of {} failed ({}); loading it through a staging table", f.path.string(), e.what());
            }
        }
    }
    Progress progress(fmt::format("loading {}", f.path.filename().string()));
    stage_file(tx, f, progress);
    progress.finish();
    TableLoad result{f.table->name, f.path.string(), static_cast<long long>(f.lines.size())};
    try {
        auto sp = tx.savepoint();
        auto counts = sp.exec(fmt::format("WITH ins AS ({}) SELECT count(*) FILTER (WHERE inserted) AS inserted, "
                                          "count(*) FILTER (WHERE NOT inserted) AS updated FROM ins",
                                          insert_sql(tx, f, mode, "true")));
        result.inserted = counts[0].integer("inserted");
        result.updated = counts[0].integer("updated");
        result.skipped = result.rows - result.inserted - result.updated;
        sp.commit();
    } catch (const pg::DbError& e) {
        if (e.code() == Exit::unavailable) throw;
        report_failing_row(tx, f, mode, e);
    }
    // Rows given with explicit identity values: move the sequence past them.
    for (const auto& c : f.table->columns)
        if (c.identity_always && std::find(f.columns.begin(), f.columns.end(), c.name) != f.columns.end())
            tx.exec(fmt::format("SELECT setval(pg_get_serial_sequence($1, $2), greatest(1, (SELECT max({}) FROM {})))",
                                tx.quote_name(c.name), tx.quote_name(f.table->name)),
                    pg::params(f.table->name, c.name));
    return result;
}

}  // namespace

fs::path resolve_seeds_dir(const std::string& configured) { return resolve_data_dir(configured, "seeds"); }

std::vector<TableLoad> load_fixtures(Context& ctx, const LoadOptions& o) {
    std::error_code ec;
    if (!fs::is_directory(o.dir, ec))
        throw Error(Exit::usage, fmt::format("cannot read fixtures directory '{}': no such directory", o.dir.string()),
                    "give it with --dir");
    std::map<std::string, fs::path> files;
    for (const auto& entry : fs::directory_iterator(o.dir))
        if (entry.path().extension() == ".csv") files[entry.path().stem().string()] = entry.path();
    for (const auto& t : o.only)
        if (!files.count(t)) throw Error(Exit::usage, fmt::format("--only names '{}', but there is no {}.csv in '{}'", t, t, o.dir.string()));

    auto& db = ctx.db();
    auto order = tables_in_dependency_order(db);
    for (const auto& [table, path] : files)
        if (std::find(order.begin(), order.end(), table) == order.end())
            throw Error(Exit::data, fmt::format("{}:1:1: no table named \"{}\" in the database", path.string(), table),
                        "name fixture files after the platform's tables; is the schema migrated?");

    auto lock = JobLock::acquire(ctx.pg_settings(), "seed", Millis(0));
    rulebook::refuse_production(db, "load fixtures into", o.allow_production);
    // The catalog is read before the transaction: one connection runs one at a time.
    std::vector<std::pair<TableInfo, fs::path>> plan;
    for (const auto& table : order) {
        if (!files.count(table)) continue;
        if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), table) == o.only.end()) continue;
        plan.emplace_back(describe_table(db, table), files[table]);
    }
    std::vector<TableLoad> results;
    auto tx = db.begin();
    for (auto& [info, path] : plan) {
        FileLoad f{&info, path, {}, {}};
        lock.verify();
        results.push_back(load_file(tx, f, o.on_conflict));
        log::info("loaded {}: {} rows, {} inserted", f.path.string(), results.back().rows, results.back().inserted);
    }
    lock.verify();
    if (!o.dry_run) tx.commit();
    return results;
}

}  // namespace spotctl::seed
