#include "core/job_lock.hpp"

#include <libpq-fe.h>
#include <thread>
#include <unistd.h>

#include "core/log.hpp"

namespace spotctl {
namespace {

PGconn* as_conn(void* p) { return static_cast<PGconn*>(p); }

// Holder details of a lock, in one line, from the lock's own connection.
constexpr const char* holder_sql = R"(
SELECT a.application_name,
       coalesce(host(a.client_addr), 'local socket'),
       a.pid::text,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted
   AND l.classid::bigint = $1::bigint AND l.objid::bigint = $2::bigint AND l.objsubid = 2
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
 LIMIT 1)";

std::string hostname() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

// Runs a parameterised query on a libpq connection; returns the result (caller frees) or throws.
PGresult* query(PGconn* conn, const char* sql, const std::vector<std::string>& args) {
    std::vector<const char*> values;
    values.reserve(args.size());
    for (const auto& a : args) values.push_back(a.c_str());
    PGresult* res = PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        std::string full = PQresultErrorMessage(res);
        const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        std::string sqlstate = state ? state : "";
        PQclear(res);
        std::string message = pg::server_message(full);
        if (PQstatus(conn) != CONNECTION_OK || sqlstate.empty())
            throw Error(Exit::unavailable, fmt::format("lost the connection to PostgreSQL: {}", message));
        throw pg::DbError(pg::exit_for_sqlstate(sqlstate), message, sqlstate, full);
    }
    return res;
}

}  // namespace

int JobLock::class_id() { return 0x53504F54 & 0x7fffffff; }  // "SPOT"

int JobLock::object_id(std::string_view job) {
    // FNV-1a: stable across runs and versions, unlike std::hash.
    std::uint32_t h = 2166136261u;
    for (unsigned char c : job) {
        h ^= c;
        h *= 16777619u;
    }
    return static_cast<int>(h & 0x7fffffff);
}

const std::vector<std::string>& known_jobs() {
    static const std::vector<std::string> jobs = {"migrate", "seed", "prune", "cache-purge", "report", "fraud-scan"};
    return jobs;
}

JobLock JobLock::acquire(const pg::Settings& settings, std::string_view job, Millis wait) {
    pg::Settings lock_settings = settings;
    lock_settings.application_name = fmt::format("spotctl {} lock ({} pid {})", job, hostname(), ::getpid()).substr(0, 63);
    std::string info = pg::conninfo(lock_settings);
    PGconn* conn = PQconnectdb(info.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        while (!why.empty() && why.back() == '\n') why.pop_back();
        throw Error(Exit::unavailable, fmt::format("cannot connect to PostgreSQL at {}: {}", pg::describe(settings), why));
    }
    JobLock lock(conn, std::string(job));
    const std::vector<std::string> keys = {std::to_string(class_id()), std::to_string(object_id(job))};
    auto deadline = std::chrono::steady_clock::now() + wait;
    bool announced = false;
    for (;;) {
        PGresult* res = query(conn, "SELECT pg_try_advisory_lock($1::int, $2::int)", keys);
        bool got = std::string_view(PQgetvalue(res, 0, 0)) == "t";
        PQclear(res);
        if (got) {
            log::debug("acquired the '{}' lock", job);
            return lock;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        if (!announced) {
            log::info("waiting up to {} for the '{}' lock held by another run", format_duration(wait), job);
            announced = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    PGresult* res = query(conn, holder_sql, keys);
    std::string holder = "another session";
    if (PQntuples(res) == 1) {
        holder = fmt::format("'{}' (backend pid {}, from {}, connected since {})", PQgetvalue(res, 0, 0),
                             PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 3));
    }
    PQclear(res);
    throw Error(Exit::temp_fail, fmt::format("another '{}' run holds the lock: {}", job, holder),
                wait.count() > 0 ? "try again when it has finished"
                                 : "try again when it has finished, or wait for it with --lock-timeout");
}

JobLock::JobLock(JobLock&& other) noexcept : conn_(other.conn_), job_(std::move(other.job_)) { other.conn_ = nullptr; }

JobLock::~JobLock() {
    if (!conn_) return;
    // Closing the session releases the lock; no unlock round trip needed.
    PQfinish(as_conn(conn_));
}

void JobLock::verify() const {
    PGconn* conn = as_conn(conn_);
    PGresult* res = PQexec(conn, "SELECT 1");
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    if (!ok || PQstatus(conn) != CONNECTION_OK)
        throw Error(Exit::temp_fail,
                    fmt::format("lost the '{}' lock: its connection to PostgreSQL was closed; stopping before the next step", job_),
                    "run the command again: it continues where it stopped");
}

std::vector<LockHolder> current_job_locks(pg::Connection& conn) {
    auto result = conn.exec(R"(
SELECT l.objid::bigint AS objid, a.pid, a.application_name,
       coalesce(host(a.client_addr), 'local socket') AS client,
       to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"') AS since
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = $1::bigint AND l.objsubid = 2
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
 ORDER BY a.backend_start)",
                            pg::params(JobLock::class_id()));
    std::vector<LockHolder> holders;
    for (auto row : result) {
        LockHolder h;
        auto objid = row.integer("objid");
        h.job = std::to_string(objid);
        for (const auto& name : known_jobs())
            if (JobLock::object_id(name) == objid) h.job = name;
        h.pid = static_cast<int>(row.integer("pid"));
        h.application_name = row.str("application_name");
        h.client = row.str("client");
        h.since = row.str("since");
        holders.push_back(std::move(h));
    }
    return holders;
}

}  // namespace spotctl
