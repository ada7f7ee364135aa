#include "core/pg.hpp"

#include <libpq-fe.h>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <thread>

#include "core/log.hpp"
#include "core/redact.hpp"

namespace spotctl::pg {

// ---- settings ---------------------------------------------------------------

namespace {

std::string quote_conninfo_value(std::string_view v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

struct ParsedConninfo {
    std::vector<std::pair<std::string, std::string>> fields;  // only the ones set
};

ParsedConninfo parse_conninfo(const std::string& url) {
    ParsedConninfo parsed;
    if (url.empty()) return parsed;
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
    if (!options) {
        std::string why = err ? err : "out of memory";
        if (err) PQfreemem(err);
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        throw Error(Exit::config, fmt::format("invalid database URL '{}': {}", redact_url(url), why),
                    "use postgresql://user@host:port/dbname or host=... dbname=...");
    }
    for (auto* o = options; o->keyword; ++o) {
        if (o->val && *o->val) {
            parsed.fields.emplace_back(o->keyword, o->val);
            if (std::string_view(o->keyword).ends_with("password")) register_secret(o->val);
        }
    }
    PQconninfoFree(options);
    return parsed;
}

}  // namespace

std::string conninfo(const Settings& settings) {
    auto parsed = parse_conninfo(settings.url);
    std::string out;
    bool has_timeout = false;
    for (const auto& [key, value] : parsed.fields) {
        if (key == "application_name" || key == "fallback_application_name") continue;
        if (key == "connect_timeout") has_timeout = true;
        out += fmt::format("{}={} ", key, quote_conninfo_value(value));
    }
    if (!has_timeout) {
        auto seconds = std::max<long long>(1, (settings.connect_timeout.count() + 999) / 1000);
        out += fmt::format("connect_timeout={} ", seconds);
    }
    out += "application_name=" + quote_conninfo_value(settings.application_name);
    return out;
}

std::string describe(const Settings& settings) {
    if (!settings.url.empty()) return redact_url(settings.url);
    std::string where;
    for (const char* var : {"PGSERVICE", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER"}) {
        if (const char* v = std::getenv(var); v && *v) where += fmt::format("{}{}={}", where.empty() ? "" : " ", var, v);
    }
    return where.empty() ? "the libpq defaults" : "the libpq defaults (" + where + ")";
}

Value to_value(double v) { return fmt::format("{}", v); }

// ---- errors -------------------------------------------------------------------

std::string server_message(std::string_view message) {
    auto end = message.find('\n');
    std::string line(message.substr(0, end));
    for (const char* prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
        if (line.rfind(prefix, 0) == 0) line.erase(0, std::string_view(prefix).size());
    }
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    return line;
}

Exit exit_for_sqlstate(std::string_view s) {
    if (s.size() != 5) return Exit::internal;
    auto cls = s.substr(0, 2);
    if (cls == "08" || s == "57P01" || s == "57P02" || s == "57P03") return Exit::unavailable;
    if (s == "42501" || cls == "28") return Exit::no_perm;
    if (cls == "40" || s == "55P03" || s == "57014") return Exit::temp_fail;
    if (cls == "22" || cls == "23") return Exit::data;
    if (cls == "53") return Exit::unavailable;
    return Exit::internal;
}

namespace {

std::string hint_of(std::string_view message) {
    auto pos = message.find("\nHINT:  ");
    if (pos == std::string_view::npos) return {};
    auto rest = message.substr(pos + 8);
    return std::string(rest.substr(0, rest.find('\n')));
}

// libpqxx 6.4 throws insufficient_privilege without its SQLSTATE (sqlstate() is empty): the class
// itself says which state it was. Without this, "permission denied" came out as an internal
// error (70) instead of 77.
std::string sqlstate_of(const pqxx::sql_error& e) {
    if (!e.sqlstate().empty()) return e.sqlstate();
    if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) return "42501";
    // GCOVR_EXCL_START: libpqxx 6.4.4 (result.cxx) throws these two with their SQLSTATE, which
    // returns above (test_core_pg_errors raises both); kept for a release that would not.
    if (dynamic_cast<const pqxx::disk_full*>(&e)) return "53100";
    if (dynamic_cast<const pqxx::out_of_memory*>(&e)) return "53200";
    // GCOVR_EXCL_STOP
    return {};
}

// Its rollback classes are not even sql_errors (they derive from failure), and carry no state.
std::string sqlstate_of(const pqxx::transaction_rollback& e) {
    if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
    if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
    if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) return "40003";
    return "40000";
}

// The one place libpqxx exceptions become spotctl errors.
[[noreturn]] void rethrow_pqxx(const Settings& settings) {
    try {
        throw;
    } catch (const pqxx::broken_connection& e) {
        throw Error(Exit::unavailable,
                    fmt::format("lost the connection to PostgreSQL at {}: {}", describe(settings), server_message(e.what())));
    } catch (const pqxx::sql_error& e) {
        std::string state = sqlstate_of(e);
        std::string message = server_message(e.what());
        if (state == "42501")
            throw DbError(Exit::no_perm, message, state, e.what(),
                          "the database role lacks a privilege this command needs: see PRIVILEGES in 'man spotctl-COMMAND'");
        throw DbError(exit_for_sqlstate(state), message, state, e.what(), hint_of(e.what()));
    } catch (const pqxx::transaction_rollback& e) {
        std::string message = server_message(e.what());
        throw DbError(Exit::temp_fail, message, sqlstate_of(e), e.what(), "the transaction was rolled back; run the command again");
    } catch (const pqxx::in_doubt_error& e) {
        throw Error(Exit::unavailable,
                    fmt::format("connection lost while committing; the outcome is unknown: {}", server_message(e.what())),
                    "check the database before running the command again");
    } catch (const pqxx::conversion_error& e) {
        throw Error(Exit::internal, fmt::format("unexpected value from PostgreSQL: {}", e.what()));
    } catch (const pqxx::usage_error& e) {
        throw Error(Exit::internal, fmt::format("database usage error: {}", e.what()));
    } catch (const pqxx::failure& e) {
        throw Error(Exit::unavailable, fmt::format("PostgreSQL failure: {}", server_message(e.what())));
    }
}

std::vector<const char*> to_pointers(const Params& params) {
    std::vector<const char*> pointers;
    pointers.reserve(params.size());
    for (const auto& p : params) {
        // libpq text parameters end at a NUL byte; refuse instead of silently truncating.
        if (p && p->find('\0') != std::string::npos)
            throw Error(Exit::data, "a value contains a NUL byte, which PostgreSQL text cannot hold");
        pointers.push_back(p ? p->c_str() : nullptr);
    }
    return pointers;
}

template <typename Tx>
pqxx::result run(Tx& tx, std::string_view sql, const Params& params) {
    std::string query(sql);
    if (params.empty()) return tx.exec(query);
    auto pointers = to_pointers(params);
    return tx.exec_params(query, pqxx::prepare::make_dynamic_params(pointers));
}

}  // namespace

// ---- results ------------------------------------------------------------------

struct Result::Impl {
    pqxx::result result;
};

Result::Result() : impl_(std::make_unique<Impl>()) {}
Result::Result(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Result::~Result() = default;
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;

std::size_t Result::size() const { return impl_->result.size(); }
std::size_t Result::columns() const { return static_cast<std::size_t>(impl_->result.columns()); }
std::string Result::column_name(std::size_t i) const { return impl_->result.column_name(static_cast<pqxx::row::size_type>(i)); }
std::size_t Result::affected_rows() const { return impl_->result.affected_rows(); }
std::size_t Result::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < columns(); ++i)
        if (column_name(i) == name) return i;
    throw Error(Exit::internal, fmt::format("query result has no column '{}'", name));
}

namespace {
pqxx::field field_of(const Result& r, std::size_t row, std::size_t column) {
    return r.impl().result[static_cast<pqxx::result::size_type>(row)][static_cast<pqxx::row::size_type>(column)];
}
}  // namespace

std::size_t Row::size() const { return result_->columns(); }
bool Row::is_null(std::size_t c) const { return field_of(*result_, index_, c).is_null(); }
bool Row::is_null(std::string_view c) const { return is_null(result_->column_index(c)); }
Value Row::value(std::size_t c) const {
    auto f = field_of(*result_, index_, c);
    if (f.is_null()) return std::nullopt;
    return std::string(f.c_str(), f.size());
}
Value Row::value(std::string_view c) const { return value(result_->column_index(c)); }
std::string Row::str(std::size_t c) const { return value(c).value_or(""); }
std::string Row::str(std::string_view c) const { return str(result_->column_index(c)); }

long long Row::integer(std::size_t c) const {
    auto f = field_of(*result_, index_, c);
    if (f.is_null()) throw Error(Exit::internal, fmt::format("unexpected NULL in column '{}'", result_->column_name(c)));
    return f.as<long long>();
}
long long Row::integer(std::string_view c) const { return integer(result_->column_index(c)); }
double Row::number(std::size_t c) const {
    auto f = field_of(*result_, index_, c);
    if (f.is_null()) throw Error(Exit::internal, fmt::format("unexpected NULL in column '{}'", result_->column_name(c)));
    return f.as<double>();
}
double Row::number(std::string_view c) const { return number(result_->column_index(c)); }
bool Row::boolean(std::size_t c) const {
    auto f = field_of(*result_, index_, c);
    if (f.is_null()) throw Error(Exit::internal, fmt::format("unexpected NULL in column '{}'", result_->column_name(c)));
    return f.as<bool>();
}
bool Row::boolean(std::string_view c) const { return boolean(result_->column_index(c)); }

// ---- connections and transactions ------------------------------------------------

struct Connection::Impl {
    Settings settings;
    pqxx::connection conn;
    Impl(Settings s, const std::string& info) : settings(std::move(s)), conn(info) {}
};

struct Transaction::Impl {
    const Settings* settings;
    pqxx::connection* conn;
    std::unique_ptr<pqxx::dbtransaction> tx;
};

Connection::Connection(const Settings& settings) : settings_(settings) {
    std::string info = conninfo(settings);
    try {
        impl_ = std::make_unique<Impl>(settings, info);
    } catch (const pqxx::broken_connection& e) {
        throw Error(Exit::unavailable,
                    fmt::format("cannot connect to PostgreSQL at {}: {}", describe(settings), server_message(e.what())),
                    "check --database-url (or DATABASE_URL, PG* variables) and that the server is running");
    } catch (...) {
        rethrow_pqxx(settings);
    }
    log::debug("connected to PostgreSQL at {} (backend pid {})", describe(settings), backend_pid());
}

std::unique_ptr<Connection> Connection::open(const Settings& settings, Millis wait) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
        try {
            return std::make_unique<Connection>(settings);
        } catch (const Error& e) {
            if (e.code() != Exit::unavailable || std::chrono::steady_clock::now() >= deadline) throw;
            log::info("waiting for PostgreSQL: {}", e.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
}

Connection::~Connection() = default;

Result Connection::exec(std::string_view sql, const Params& params) {
    try {
        pqxx::nontransaction tx(impl_->conn);
        return Result(std::make_unique<Result::Impl>(Result::Impl{run(tx, sql, params)}));
    } catch (const Error&) {
        throw;
    } catch (...) {
        rethrow_pqxx(settings_);
    }
}

Transaction Connection::begin(Isolation isolation) {
    auto impl = std::make_unique<Transaction::Impl>();
    impl->settings = &settings_;
    impl->conn = &impl_->conn;
    try {
        switch (isolation) {
            case Isolation::read_committed:
                impl->tx = std::make_unique<pqxx::work>(impl_->conn);
                break;
            case Isolation::repeatable_read:
                impl->tx = std::make_unique<pqxx::transaction<pqxx::repeatable_read>>(impl_->conn);
                break;
            case Isolation::serializable:
                impl->tx = std::make_unique<pqxx::transaction<pqxx::serializable>>(impl_->conn);
                break;
        }
    } catch (...) {
        rethrow_pqxx(settings_);
    }
    return Transaction(std::move(impl));
}

int Connection::backend_pid() const { return impl_->conn.backendpid(); }
int Connection::server_version() const { return impl_->conn.server_version(); }
std::string Connection::quote_name(std::string_view name) const { return impl_->conn.quote_name(std::string(name)); }

Transaction::Transaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction::~Transaction() {
    if (!impl_ || !impl_->tx) return;
    try {
        impl_->tx->abort();
    } catch (...) {
        // The connection may already be gone; the server rolls back on its own then.
    }
}

Result Transaction::exec(std::string_view sql, const Params& params) {
    try {
        return Result(std::make_unique<Result::Impl>(Result::Impl{run(*impl_->tx, sql, params)}));
    } catch (const Error&) {
        throw;
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
}

void Transaction::commit() {
    try {
        impl_->tx->commit();
        impl_->tx.reset();
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
}

std::string Transaction::quote_name(std::string_view name) const { return impl_->tx->quote_name(std::string(name)); }

Transaction Transaction::savepoint() {
    auto impl = std::make_unique<Transaction::Impl>();
    impl->settings = impl_->settings;
    impl->conn = impl_->conn;
    try {
        impl->tx = std::make_unique<pqxx::subtransaction>(*impl_->tx);
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
    return Transaction(std::move(impl));
}

// libpqxx 6.4's stream_to only takes tuples; tablewriter (deprecated, but the 6.x way) takes
// a raw COPY text line, which we escape ourselves in one pass.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
struct CopyIn::Impl {
    const Settings* settings;
    std::unique_ptr<pqxx::tablewriter> writer;
    std::string line;
};

CopyIn::CopyIn(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CopyIn::CopyIn(CopyIn&&) noexcept = default;
CopyIn::~CopyIn() {
    if (!impl_ || !impl_->writer) return;
    try {
        impl_->writer->complete();
    } catch (...) {
        // Only reached when unwinding from another error; the transaction is rolled back.
    }
}

namespace {
void append_copy_text(std::string& line, const char* value) {
    if (!value) {
        line += "\\N";
        return;
    }
    for (const char* p = value; *p; ++p) {
        switch (*p) {
            case '\\': line += "\\\\"; break;
            case '\n': line += "\\n"; break;
            case '\r': line += "\\r"; break;
            case '\t': line += "\\t"; break;
            default: line += *p;
        }
    }
}
}  // namespace

void CopyIn::row(const std::vector<const char*>& values) {
    auto& line = impl_->line;
    line.clear();
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) line += '\t';
        append_copy_text(line, values[i]);
    }
    try {
        impl_->writer->write_raw_line(line);
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
}

void CopyIn::finish() {
    try {
        auto writer = std::move(impl_->writer);
        writer->complete();
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
}

CopyIn Transaction::copy_in(std::string_view table, const std::vector<std::string>& columns) {
    std::vector<std::string> quoted;
    quoted.reserve(columns.size());
    for (const auto& c : columns) quoted.push_back(quote_name(c));
    auto impl = std::make_unique<CopyIn::Impl>();
    impl->settings = impl_->settings;
    try {
        impl->writer = std::make_unique<pqxx::tablewriter>(*impl_->tx, quote_name(table), quoted.begin(), quoted.end());
    } catch (...) {
        rethrow_pqxx(*impl_->settings);
    }
    return CopyIn(std::move(impl));
}
#pragma GCC diagnostic pop

}  // namespace spotctl::pg
