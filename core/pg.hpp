#pragma once
// PostgreSQL access for every command, behind a small interface so that libpqxx stays in
// core/ (its API changes in 7.x). Parameters always travel separately from SQL text.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.hpp"
#include "core/errors.hpp"

namespace spotctl::pg {

// How to reach the server. `url` is what the user gave (postgresql:// URL, key=value string,
// or empty for libpq's own defaults: PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE, .pgpass).
struct Settings {
    std::string url;
    std::string application_name = "spotctl";
    Millis connect_timeout{5000};
};

// A libpq key=value string with spotctl's application_name and connect_timeout added
// (the user's own connect_timeout wins). Throws Error(Exit::config) for an unparsable URL.
std::string conninfo(const Settings& settings);
// Where we connect, for messages: the URL with its password as ****, or "libpq defaults (...)".
std::string describe(const Settings& settings);

using Value = std::optional<std::string>;  // nullopt is SQL NULL
using Params = std::vector<Value>;

inline Value to_value(std::nullopt_t) { return std::nullopt; }
inline Value to_value(const std::string& s) { return s; }
inline Value to_value(std::string_view s) { return std::string(s); }
inline Value to_value(const char* s) { return s ? Value(s) : std::nullopt; }
inline Value to_value(bool b) { return b ? "true" : "false"; }
inline Value to_value(int v) { return std::to_string(v); }
inline Value to_value(long v) { return std::to_string(v); }
inline Value to_value(long long v) { return std::to_string(v); }
inline Value to_value(unsigned v) { return std::to_string(v); }
inline Value to_value(unsigned long v) { return std::to_string(v); }
inline Value to_value(unsigned long long v) { return std::to_string(v); }
Value to_value(double v);
inline Value to_value(const Value& v) { return v; }
template <typename T>
Value to_value(const std::optional<T>& v) {
    return v ? to_value(*v) : std::nullopt;
}

template <typename... A>
Params params(const A&... args) {
    return Params{to_value(args)...};
}

// A database error with its SQLSTATE; the exit code follows the SQLSTATE class.
class DbError : public Error {
public:
    DbError(Exit code, const std::string& message, std::string sqlstate, std::string detail, std::string hint = {})
        : Error(code, message, std::move(hint)), sqlstate_(std::move(sqlstate)), detail_(std::move(detail)) {}
    const std::string& sqlstate() const noexcept { return sqlstate_; }
    // The server's full message: DETAIL, HINT, CONTEXT and the "LINE n:" pointer where present.
    const std::string& detail() const noexcept { return detail_; }

private:
    std::string sqlstate_;
    std::string detail_;
};

// The text of a libpq error message: its first line without the severity ("ERROR:  ").
std::string server_message(std::string_view libpq_message);

// Exit code for a SQLSTATE: 08 connection -> 69, 42501 -> 77, 40/55P03/57014 -> 75, 22/23 -> 65.
Exit exit_for_sqlstate(std::string_view sqlstate);

class Result;

class Row {
public:
    Row(const Result& result, std::size_t index) : result_(&result), index_(index) {}
    std::size_t size() const;
    bool is_null(std::size_t column) const;
    bool is_null(std::string_view column) const;
    Value value(std::size_t column) const;
    Value value(std::string_view column) const;
    // Text of the field; "" for NULL.
    std::string str(std::size_t column) const;
    std::string str(std::string_view column) const;
    // Numeric and boolean fields; NULL throws Error(Exit::internal) naming the column.
    long long integer(std::size_t column) const;
    long long integer(std::string_view column) const;
    double number(std::size_t column) const;
    double number(std::string_view column) const;
    bool boolean(std::size_t column) const;
    bool boolean(std::string_view column) const;

private:
    const Result* result_;
    std::size_t index_;
};

class Result {
public:
    Result();
    ~Result();
    Result(Result&&) noexcept;
    Result& operator=(Result&&) noexcept;

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    Row operator[](std::size_t i) const { return Row(*this, i); }
    std::size_t columns() const;
    std::string column_name(std::size_t i) const;
    std::size_t column_index(std::string_view name) const;  // throws when absent
    // Rows changed by INSERT/UPDATE/DELETE.
    std::size_t affected_rows() const;

    class iterator {
    public:
        iterator(const Result* r, std::size_t i) : r_(r), i_(i) {}
        Row operator*() const { return Row(*r_, i_); }
        iterator& operator++() { ++i_; return *this; }
        bool operator!=(const iterator& o) const { return i_ != o.i_; }
    private:
        const Result* r_;
        std::size_t i_;
    };
    iterator begin() const { return iterator(this, 0); }
    iterator end() const { return iterator(this, size()); }

    struct Impl;
    explicit Result(std::unique_ptr<Impl> impl);
    const Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

enum class Isolation { read_committed, repeatable_read, serializable };

class Connection;

// COPY ... FROM STDIN into a table, row by row (text format; the values are escaped for you).
class CopyIn {
public:
    ~CopyIn();
    CopyIn(CopyIn&&) noexcept;
    // nullptr is NULL. Values must not contain NUL bytes.
    void row(const std::vector<const char*>& values);
    // Ends the COPY. Errors carry the server's "COPY t, line N, column c" context in detail().
    void finish();

    struct Impl;
    explicit CopyIn(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

// A transaction; rolled back when destroyed without commit().
class Transaction {
public:
    ~Transaction();
    Transaction(Transaction&&) noexcept;
    Result exec(std::string_view sql, const Params& params = {});
    void commit();
    // Quotes an identifier ("table", "column") for SQL built from our own names.
    std::string quote_name(std::string_view name) const;

    // A savepoint inside this transaction: commit() releases it; destroying it without commit()
    // rolls back to it, and this transaction goes on (after an error too).
    Transaction savepoint();

    // Starts COPY into `table` (columns in order); names are quoted here.
    CopyIn copy_in(std::string_view table, const std::vector<std::string>& columns);

    struct Impl;
    explicit Transaction(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> impl_;
};

class Connection {
public:
    // Connects now. Failure: Error(Exit::unavailable) naming the redacted target.
    explicit Connection(const Settings& settings);
    // Connects, retrying until `wait` has passed (for CI where the server starts beside us).
    static std::unique_ptr<Connection> open(const Settings& settings, Millis wait = Millis(0));
    ~Connection();

    // One statement (or a script of several, when there are no parameters) in autocommit mode.
    Result exec(std::string_view sql, const Params& params = {});
    Transaction begin(Isolation isolation = Isolation::read_committed);

    int backend_pid() const;
    int server_version() const;  // e.g. 150004
    const Settings& settings() const { return settings_; }
    std::string quote_name(std::string_view name) const;

    struct Impl;
    Impl& impl() { return *impl_; }

private:
    Settings settings_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace spotctl::pg
