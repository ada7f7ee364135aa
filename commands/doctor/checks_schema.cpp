// The schema and its storage: drift from the migrations, INVALID indexes, sequences running out,
// B-tree corruption.
#include <fmt/format.h>
#include <random>
#include <set>

#include "commands/doctor/catalog.hpp"
#include "commands/doctor/checks.hpp"
#include "commands/doctor/schema_sql.hpp"
#include "commands/migrate/migration_files.hpp"
#include "commands/migrate/migration_state.hpp"
#include "core/sql_splitter.hpp"

namespace spotctl::doctor {
namespace {

// A sequence (or identity) that has used more than this share of its range needs a wider type
// before it runs out and inserts fail.
constexpr double capacity_alarm = 0.75;

// The range a sequence really has: its own, or its column's type's when that is narrower (an
// integer column fed by a bigint sequence fails at 2^31).
constexpr const char* sequences_sql = R"(
WITH owner AS (
  SELECT d.objid AS seq, a.atttypid
    FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
   WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
SELECT format('%I.%I', s.schemaname, s.sequencename) AS id
  FROM pg_sequences s
  LEFT JOIN owner o ON o.seq = format('%I.%I', s.schemaname, s.sequencename)::regclass
 WHERE s.last_value IS NOT NULL AND s.increment_by > 0
   AND (s.last_value - s.min_value)::numeric
       / nullif(least(s.max_value, CASE o.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647
                                                  ELSE s.max_value END) - s.min_value, 0) > $1::numeric)";

// A database of our own to apply the migrations into; dropped whatever happens.
class ScratchDatabase {
public:
    ScratchDatabase(pg::Connection& server, std::string name) : server_(server), name_(std::move(name)) {
        server_.exec(fmt::format("CREATE DATABASE {} TEMPLATE template0", server_.quote_name(name_)));
        created_ = true;
    }
    ~ScratchDatabase() {
        if (!created_) return;
        try {
            server_.exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", server_.quote_name(name_)));
        } catch (const std::exception&) {
            // Best effort: a left-over scratch database is named spotctl_doctor_* and harmless.
        }
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    const std::string& name() const { return name_; }

private:
    pg::Connection& server_;
    std::string name_;
    bool created_ = false;
};

std::string scratch_name() {
    std::random_device rd;
    return fmt::format("spotctl_doctor_{:08x}", rd());
}

void apply(pg::Connection& db, const migrate::MigrationFile& m) {
    try {
        if (!m.up.no_transaction) {
            db.exec(m.up.sql);
            return;
        }
        for (const auto& statement : sql::split(m.up.sql)) db.exec(statement.text);
    } catch (const pg::DbError& e) {
        throw Error(Exit::data, fmt::format("{}: applying it to a scratch database failed: {}", m.up.path.string(), e.what()));
    }
}

Finding schema_drift(Environment& env) {
    auto applied = migrate::read_state(env.primary);
    if (applied.empty()) {
        Finding f;
        f.skipped = true;
        f.note = fmt::format("no migrations recorded in {}: nothing to compare the schema with", migrate::state_table);
        return f;
    }
    std::set<long long> versions;
    for (const auto& a : applied) versions.insert(a.version);
    auto files = migrate::load_migrations(migrate::resolve_migrations_dir(env.options.migrations_dir), false);

    std::optional<ScratchDatabase> scratch;
    try {
        scratch.emplace(env.primary, scratch_name());
    } catch (const pg::DbError& e) {
        Finding f;
        f.skipped = true;
        f.note = fmt::format("cannot create a scratch database to apply the migrations in ({}); grant CREATEDB to compare", e.what());
        return f;
    }
    pg::Settings s = env.primary.settings();
    s.url = pg::conninfo(s) + fmt::format(" dbname='{}'", scratch->name());
    std::size_t used = 0;
    {
        pg::Connection expected_db(s);
        for (const auto& m : files)
            if (versions.contains(m.version)) {
                apply(expected_db, m);
                ++used;
            }
        auto drift = compare_catalogs(read_catalog(expected_db), read_catalog(env.primary));
        std::string note = fmt::format("compared with {} migration(s) applied to a scratch database", used);
        if (used < versions.size()) note += fmt::format("; {} recorded version(s) have no file here", versions.size() - used);
        return finding_of(std::move(drift), note);
    }
}

Finding btree_corruption(Environment& env) {
    pg::Connection& db = env.primary;
    Finding f;
    if (db.exec("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").empty()) {
        try {
            db.exec("CREATE EXTENSION IF NOT EXISTS amcheck");
        } catch (const pg::DbError& e) {
            f.skipped = true;
            f.note = fmt::format("amcheck is not installed and cannot be created here ({})", e.what());
            return f;
        }
    }
    auto indexes = db.exec(R"(SELECT c.oid::regclass::text AS name
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
 WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready AND c.relpersistence <> 't'
 ORDER BY pg_relation_size(c.oid) DESC, 1 LIMIT $1)",
                           pg::params(env.options.amcheck_indexes));
    std::vector<std::string> corrupt;
    for (const auto& row : indexes) {
        try {
            db.exec("SELECT bt_index_check($1::regclass)", pg::params(row.str("name")));
        } catch (const pg::DbError& e) {
            // XX002 index_corrupted; anything else (a lock, a dropped index) is not a finding.
            if (e.sqlstate() != "XX002") throw;
            corrupt.push_back(row.str("name"));
        }
    }
    return finding_of(std::move(corrupt), fmt::format("bt_index_check on the {} largest B-tree index(es)", indexes.size()));
}

}  // namespace

std::vector<Check> schema_checks() {
    return {
        {"schema_drift", "schema",
         "objects the live schema has that no applied migration created, objects of applied migrations that are missing, and "
         "objects defined differently (migrations applied to a scratch database and the catalogs compared)",
         "",
         "whether the difference is a hot fix to write into a new migration, or a change to undo by hand; a missing index of "
         "a migration is created again by hand (CREATE INDEX CONCURRENTLY as the migration says)",
         true, schema_drift, {}},
        sql_check("invalid_indexes", "schema", "INVALID indexes (left by a failed CREATE INDEX CONCURRENTLY): written to, never used",
                  "drops them with DROP INDEX CONCURRENTLY (then create one again as its migration says)", "", schema::invalid_indexes_sql),
        sql_check("sequence_capacity", "storage",
                  fmt::format("sequences and identity columns past {:.0f}% of their range (or of their column's type)", capacity_alarm * 100),
                  "",
                  "when to widen the column to bigint (ALTER TABLE ... ALTER COLUMN ... TYPE bigint, and ALTER SEQUENCE ... AS bigint), "
                  "which rewrites the table",
                  sequences_sql, pg::params(capacity_alarm)),
        {"btree_corruption", "storage",
         "B-tree indexes that amcheck's bt_index_check finds corrupt, among the largest ones (skipped when amcheck cannot be "
         "created)",
         "", "REINDEX INDEX CONCURRENTLY the index, and find the cause (storage, a collation change after an OS upgrade)", true,
         btree_corruption, {}},
    };
}

}  // namespace spotctl::doctor
