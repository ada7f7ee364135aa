#include "core/pg_copy.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include "core/log.hpp"

namespace spotctl::pg {

struct CopyOut::Impl {
    Settings settings;
    PGconn* conn = nullptr;
    bool done = false;
    ~Impl() {
        if (conn) PQfinish(conn);
    }

    [[noreturn]] void fail(PGresult* result, std::string_view what) {
        std::string state, message, detail;
        if (result) {
            if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE)) state = s;
            message = server_message(PQresultErrorMessage(result));
            detail = PQresultErrorMessage(result);
            PQclear(result);
        }
        if (message.empty()) {
            message = server_message(PQerrorMessage(conn));
            detail = PQerrorMessage(conn);
        }
        Exit code = Exit::internal;
        if (PQstatus(conn) == CONNECTION_BAD) {
            code = Exit::unavailable;
            if (state.empty()) state = "08006";
        } else if (!state.empty()) {
            code = exit_for_sqlstate(state);
        }
        throw DbError(code, fmt::format("{} on PostgreSQL at {}: {}", what, describe(settings), message), state, detail);
    }

    void command(const char* sql, const std::vector<const char*>& params = {}) {
        PGresult* r = PQexecParams(conn, sql, static_cast<int>(params.size()), nullptr, params.data(), nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) fail(r, "export failed");
        PQclear(r);
    }
};

CopyOut::CopyOut(const Settings& settings, const std::vector<std::pair<std::string, std::string>>& session_settings,
                 const std::string& copy_sql)
    : impl_(std::make_unique<Impl>()) {
    impl_->settings = settings;
    std::string info = conninfo(settings);
    impl_->conn = PQconnectdb(info.c_str());
    if (PQstatus(impl_->conn) != CONNECTION_OK)
        throw Error(Exit::unavailable,
                    fmt::format("cannot connect to PostgreSQL at {}: {}", describe(settings),
                                server_message(PQerrorMessage(impl_->conn))),
                    "check --database-url or --replica-url and that the server is running");
    log::debug("export connection to {} (backend pid {})", describe(settings), PQbackendPID(impl_->conn));
    impl_->command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const auto& [name, value] : session_settings)
        impl_->command("SELECT set_config($1, $2, true)", {name.c_str(), value.c_str()});
    PGresult* r = PQexec(impl_->conn, copy_sql.c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT) impl_->fail(r, "export failed");
    PQclear(r);
}

CopyOut::~CopyOut() = default;

int CopyOut::backend_pid() const { return PQbackendPID(impl_->conn); }

bool CopyOut::next(std::vector<Value>& fields) {
    if (impl_->done) return false;
    char* buffer = nullptr;
    int n = PQgetCopyData(impl_->conn, &buffer, 0);
    if (n > 0) {
        std::string_view line(buffer, static_cast<std::size_t>(n));
        if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
        decode_copy_text(line, fields);
        PQfreemem(buffer);
        return true;
    }
    if (n == -2) impl_->fail(nullptr, "export failed");
    // -1: the COPY is over; its result says whether it completed.
    PGresult* r = PQgetResult(impl_->conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) impl_->fail(r, "export failed");
    PQclear(r);
    while ((r = PQgetResult(impl_->conn)) != nullptr) PQclear(r);
    impl_->command("COMMIT");
    impl_->done = true;
    return false;
}

namespace {
int octal(char c) { return c >= '0' && c <= '7' ? c - '0' : -1; }
int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

void decode_copy_text(std::string_view line, std::vector<Value>& fields) {
    std::size_t count = 0;
    std::size_t pos = 0;
    for (;;) {
        std::size_t end = line.find('\t', pos);
        if (end == std::string_view::npos) end = line.size();
        std::string_view raw = line.substr(pos, end - pos);
        if (count == fields.size()) fields.emplace_back();
        Value& f = fields[count++];
        if (raw == "\\N") {
            f.reset();
        } else {
            if (!f) f.emplace();
            std::string& s = *f;
            if (raw.find('\\') == std::string_view::npos) {
                s.assign(raw);
            } else {
                s.clear();
                for (std::size_t i = 0; i < raw.size(); ++i) {
                    char c = raw[i];
                    if (c != '\\' || i + 1 == raw.size()) {
                        s += c;
                        continue;
                    }
                    char e = raw[++i];
                    switch (e) {
                        case 'b': s += '\b'; break;
                        case 'f': s += '\f'; break;
                        case 'n': s += '\n'; break;
                        case 'r': s += '\r'; break;
                        case 't': s += '\t'; break;
                        case 'v': s += '\v'; break;
                        case 'x': {
                            int v = 0, digits = 0;
                            while (digits < 2 && i + 1 < raw.size() && hex(raw[i + 1]) >= 0) v = v * 16 + hex(raw[++i]), ++digits;
                            if (digits) s += static_cast<char>(v);
                            else s += 'x';
                            break;
                        }
                        default:
                            if (octal(e) >= 0) {
                                int v = octal(e), digits = 1;
                                while (digits < 3 && i + 1 < raw.size() && octal(raw[i + 1]) >= 0) v = v * 8 + octal(raw[++i]), ++digits;
                                s += static_cast<char>(v);
                            } else {
                                s += e;
                            }
                    }
                }
            }
        }
        if (end == line.size()) break;
        pos = end + 1;
    }
    fields.resize(count);
}

}  // namespace spotctl::pg
