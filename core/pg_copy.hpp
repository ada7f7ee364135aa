#pragma once
// Streams the rows of `COPY (query) TO STDOUT` (PostgreSQL's text format) over a libpq
// connection of its own, one row at a time, so memory does not grow with the row count.
// COPY takes no parameters: values travel as transaction-local settings (set_config), which
// the query reads with current_setting(name), so user input is never spliced into SQL text.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/pg.hpp"

namespace spotctl::pg {

class CopyOut {
public:
    // Connects, starts a read-only REPEATABLE READ transaction, applies `settings` with
    // set_config(name, value, true) and starts `copy_sql` (a COPY ... TO STDOUT statement).
    CopyOut(const Settings& settings, const std::vector<std::pair<std::string, std::string>>& session_settings,
            const std::string& copy_sql);
    ~CopyOut();
    CopyOut(const CopyOut&) = delete;
    CopyOut& operator=(const CopyOut&) = delete;

    // The next row's fields (nullopt for NULL), decoded from the text format; false at the end,
    // after the server confirmed the COPY completed. Errors: DbError (exit by SQLSTATE; a lost
    // connection is Exit::unavailable).
    bool next(std::vector<Value>& fields);
    int backend_pid() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Decodes one line of the COPY text format (without its newline) into fields.
void decode_copy_text(std::string_view line, std::vector<Value>& fields);

}  // namespace spotctl::pg
