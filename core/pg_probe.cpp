#include "core/pg_probe.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

namespace spotctl::pg {
namespace {

PGconn* as_conn(void* p) { return static_cast<PGconn*>(p); }

std::string last_error(PGconn* conn) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    auto pos = message.rfind('\n');  // libpq lists every address tried; the last line says why
    return pos == std::string::npos ? message : message.substr(pos + 1);
}

// Waits until the socket is ready for `events` or the deadline passes.
bool wait_socket(PGconn* conn, short events, Deadline deadline) {
    int fd = PQsocket(conn);
    if (fd < 0) return false;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

}  // namespace

Value Rows::first(const std::string& column) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == column && !rows.empty()) return rows[0][i];
    return std::nullopt;
}

ProbeSession::ProbeSession(const Settings& settings, Deadline deadline) : conn_(nullptr), where_(describe(settings)) {
    auto started = std::chrono::steady_clock::now();
    std::string info = conninfo(settings);
    PGconn* conn = PQconnectStart(info.c_str());
    conn_ = conn;
    if (!conn) throw ProbeError("cannot allocate a PostgreSQL connection", false);
    try {
        if (PQstatus(conn) == CONNECTION_BAD) throw ProbeError(fmt::format("cannot connect to {}: {}", where_, last_error(conn)), false);
        PostgresPollingStatusType state = PGRES_POLLING_WRITING;
        while (state != PGRES_POLLING_OK) {
            if (state == PGRES_POLLING_FAILED)
                throw ProbeError(fmt::format("cannot connect to {}: {}", where_, last_error(conn)), false);
            if (!wait_socket(conn, state == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline))
                throw ProbeError(fmt::format("cannot connect to {}: timed out", where_), true);
            state = PQconnectPoll(conn);
        }
    } catch (...) {
        // A constructor that throws runs no destructor: the connection is finished here
        // (LeakSanitizer found one leaking with every failed or timed-out probe).
        PQfinish(conn);
        conn_ = nullptr;
        throw;
    }
    connect_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

ProbeSession::~ProbeSession() {
    if (conn_) PQfinish(as_conn(conn_));
}

std::vector<Statement> ProbeSession::batch(const std::string& sql, Deadline deadline) {
    PGconn* conn = as_conn(conn_);
    if (!PQsendQuery(conn, sql.c_str())) throw ProbeError(fmt::format("query failed on {}: {}", where_, last_error(conn)), false);
    std::vector<Statement> out;
    for (;;) {
        while (PQisBusy(conn)) {
            if (!wait_socket(conn, POLLIN, deadline)) {
                // Ask the server to stop; the session is dropped with the probe anyway.
                if (PGcancel* cancel = PQgetCancel(conn)) {
                    char buf[256];
                    PQcancel(cancel, buf, sizeof buf);
                    PQfreeCancel(cancel);
                }
                throw ProbeError(fmt::format("no answer from {}: timed out", where_), true);
            }
            if (!PQconsumeInput(conn)) throw ProbeError(fmt::format("lost the connection to {}: {}", where_, last_error(conn)), false);
        }
        PGresult* res = PQgetResult(conn);
        if (!res) break;
        Statement& st = out.emplace_back();
        auto status = PQresultStatus(res);
        if (status == PGRES_TUPLES_OK) {
            for (int c = 0; c < PQnfields(res); ++c) st.rows.columns.emplace_back(PQfname(res, c));
            for (int r = 0; r < PQntuples(res); ++r) {
                std::vector<Value> row;
                row.reserve(static_cast<std::size_t>(PQnfields(res)));
                for (int c = 0; c < PQnfields(res); ++c)
                    row.push_back(PQgetisnull(res, r, c) ? Value() : Value(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c))));
                st.rows.rows.push_back(std::move(row));
            }
        } else if (status != PGRES_COMMAND_OK) {
            st.error = server_message(PQresultErrorMessage(res));
            if (const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) st.sqlstate = state;
        }
        PQclear(res);
    }
    return out;
}

Rows ProbeSession::query(const std::string& sql, Deadline deadline) {
    auto statements = batch(sql, deadline);
    for (const auto& st : statements)
        if (!st.error.empty()) throw ProbeError(fmt::format("query failed on {}: {}", where_, st.error), false);
    return statements.empty() ? Rows{} : std::move(statements.back().rows);
}

}  // namespace spotctl::pg
