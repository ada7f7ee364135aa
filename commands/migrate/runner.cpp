#include "commands/migrate/runner.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fmt/format.h>
#include <random>
#include <thread>

#include "commands/migrate/backfill.hpp"
#include "commands/migrate/lock_watch.hpp"
#include "core/build_info.hpp"
#include "core/log.hpp"
#include "core/sql_splitter.hpp"

namespace spotctl::migrate {
namespace {

using Clock = std::chrono::steady_clock;

long long elapsed_ms(Clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

// Failed SQL in a migration is bad input (65) unless PostgreSQL says otherwise (lock timeout: 75).
Exit failure_code(const Error& e) { return e.code() == Exit::internal ? Exit::data : e.code(); }

const std::string& server_text(const Error& e) {
    if (const auto* db = dynamic_cast<const pg::DbError*>(&e)) return db->detail();
    static const std::string none;
    return none;
}

// One try of a transactional script cancelled on lock_timeout; the message names file:line.
struct LockTimedOut : Error {
    using Error::Error;
};

bool is_lock_timeout(const Error& e) {
    const auto* db = dynamic_cast<const pg::DbError*>(&e);
    return db && db->sqlstate() == "55P03";
}

// Transactional: the script, its state row and the lock check commit as one. Round trips are
// what a migration run costs, so the timeouts travel with the script and the row is written once.
long long run_in_transaction(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const Script& script,
                             const RunSettings& settings, bool up) {
    auto started = Clock::now();
    auto tx = db.begin();
    try {
        // On the script's first line, so PostgreSQL's "LINE n" still matches the file.
        tx.exec(timeout_sql(true, settings) + "; " + without_wrapping_transaction(script.sql));
    } catch (const Error& e) {
        auto line = error_line(server_text(e)).value_or(1);
        if (is_lock_timeout(e)) throw LockTimedOut(Exit::temp_fail, fmt::format("{}: {}", script.location(line), e.what()));
        throw Error(failure_code(e), fmt::format("{}: {}; nothing of it was applied", script.location(line), e.what()),
                    e.hint());
    }
    long long ms = elapsed_ms(started);
    // A second runner that somehow lost the lock would fail here on the primary key (up) or
    // find no row (down), and roll back.
    if (up) {
        record_applied(tx, m, settings, ms);
    } else {
        auto deleted = tx.exec("DELETE FROM spotctl_schema_migrations WHERE version = $1", pg::params(m.version));
        if (deleted.affected_rows() != 1)
            throw Error(Exit::temp_fail, fmt::format("{} was reverted by another run meanwhile", m.label()));
    }
    lock.verify();
    tx.commit();
    return ms;
}

// A transactional script, tried again while it fails on a lock timeout. Everything of a failed
// try was rolled back, so a new try starts from scratch; the migrate job lock stays held.
long long run_retrying(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const Script& script,
                       const RunSettings& settings, bool up) {
    LockWatch watch(settings.watch, db.backend_pid(), sampling_interval(settings.lock_timeout));
    const int tries = settings.lock_retries + 1;
    for (int attempt = 1;; ++attempt) {
        watch.start();
        try {
            long long ms = run_in_transaction(db, lock, m, script, settings, up);
            watch.stop();
            return ms;
        } catch (const LockTimedOut& e) {
            auto blocker = watch.stop();
            std::string who = blocker ? describe(*blocker) : "a session that let go before the lock watch saw it";
            if (attempt >= tries)
                throw Error(Exit::temp_fail,
                            fmt::format("{}; nothing of it was applied; {}: the lock was held by {}", e.what(),
                                        tries == 1 ? "no retries" : fmt::format("gave up after {} tries", tries), who),
                            "end or wait out that session, then run the command again (see --lock-retries)");
            Millis delay = lock_retry_delay(settings.lock_retry_base, attempt);
            log::warn("{} (try {} of {}); the lock was held by {}; rolled back, retrying in {}", e.what(), attempt, tries,
                      who, format_duration(delay));
            std::this_thread::sleep_for(delay);
            lock.verify();
        }
    }
}

// Outside a transaction (CREATE INDEX CONCURRENTLY): dirty first, then statement by statement.
long long run_statements(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const Script& script,
                         const RunSettings& settings, bool up) {
    auto statements = sql::split(script.sql);
    auto started = Clock::now();
    if (up) {
        db.exec("INSERT INTO spotctl_schema_migrations (version, name, checksum, applied_by, spotctl_version, dirty) "
                "VALUES ($1, $2, $3, $4, $5, true)",
                pg::params(m.version, m.name, m.checksum, settings.applied_by, build::version));
    } else {
        db.exec("UPDATE spotctl_schema_migrations SET dirty = true WHERE version = $1", pg::params(m.version));
    }
    db.exec(timeout_sql(false, settings));
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const auto& st = statements[i];
        lock.verify();
        try {
            db.exec(st.text);
        } catch (const Error& e) {
            long long line = static_cast<long long>(st.line) + error_line(server_text(e)).value_or(1) - 1;
            long long file_line = script.first_line + line - 1;
            try {
                db.exec("RESET lock_timeout; RESET statement_timeout");
                db.exec("UPDATE spotctl_schema_migrations SET failed_statement = $2, failed_line = $3, error = $4 "
                        "WHERE version = $1",
                        pg::params(m.version, static_cast<long long>(i + 1), file_line, std::string(e.what())));
            } catch (const Error& record_failure) {
                log::warn("could not record the failure in spotctl_schema_migrations: {}", record_failure.what());
            }
            throw Error(failure_code(e),
                        fmt::format("{}: statement {} of {} failed: {}; the database is marked dirty",
                                    script.location(line), i + 1, statements.size(), e.what()),
                        "see 'spotctl migrate status', fix the cause, then run 'spotctl migrate repair --yes'");
        }
    }
    db.exec("RESET lock_timeout; RESET statement_timeout");
    long long ms = elapsed_ms(started);
    lock.verify();
    if (up) {
        db.exec("UPDATE spotctl_schema_migrations SET dirty = false, execution_ms = $2, failed_statement = NULL, "
                "failed_line = NULL, error = NULL WHERE version = $1",
                pg::params(m.version, ms));
    } else {
        db.exec("DELETE FROM spotctl_schema_migrations WHERE version = $1", pg::params(m.version));
    }
    return ms;
}

// A statement's words upper-cased and single-spaced: "begin  work" -> "BEGIN WORK".
std::string words(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

bool opens_transaction(const std::string& w) {
    return w == "BEGIN" || w == "BEGIN WORK" || w == "BEGIN TRANSACTION" || w == "START TRANSACTION";
}
bool ends_transaction(const std::string& w) {
    return w == "COMMIT" || w == "COMMIT WORK" || w == "COMMIT TRANSACTION" || w == "END" || w == "END WORK" ||
           w == "END TRANSACTION";
}
bool controls_transaction(const std::string& w) {
    for (const char* word : {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT"})
        if (w == word || w.rfind(std::string(word) + " ", 0) == 0) return true;
    return false;
}

}  // namespace

std::string timeout_sql(bool local, const RunSettings& s) {
    const char* scope = local ? "SET LOCAL" : "SET";
    return fmt::format("{0} lock_timeout = {1}; {0} statement_timeout = {2}", scope, s.lock_timeout.count(),
                       s.statement_timeout.count());
}

void record_applied(pg::Transaction& tx, const MigrationFile& m, const RunSettings& settings, long long ms) {
    tx.exec("INSERT INTO spotctl_schema_migrations (version, name, checksum, applied_by, spotctl_version, execution_ms) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            pg::params(m.version, m.name, m.checksum, settings.applied_by, build::version, ms));
}

std::string without_wrapping_transaction(const std::string& sql) {
    std::vector<sql::Statement> statements;
    try {
        statements = sql::split(sql);
    } catch (const Error&) {
        return sql;  // PostgreSQL reports the unterminated quote with its line
    }
    if (statements.size() < 2 || !opens_transaction(words(statements.front().text)) ||
        !ends_transaction(words(statements.back().text)))
        return sql;
    for (std::size_t i = 1; i + 1 < statements.size(); ++i)
        if (controls_transaction(words(statements[i].text))) return sql;
    std::string out = sql;
    for (const auto* st : {&statements.front(), &statements.back()}) out.replace(st->offset, st->text.size(), st->text.size(), ' ');
    return out;
}

Millis lock_retry_delay(Millis base, int retry) {
    const long long cap = 60'000;
    long long ceiling = std::max<long long>(base.count(), 1);
    for (int i = 1; i < retry && ceiling < cap; ++i) ceiling *= 2;
    ceiling = std::min(ceiling, cap);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(ceiling / 2, ceiling);
    return Millis(jitter(rng));
}

std::optional<long long> error_line(const std::string& server_message) {
    auto pos = server_message.find("LINE ");
    while (pos != std::string::npos) {
        if (pos == 0 || server_message[pos - 1] == '\n') {
            std::size_t i = pos + 5;
            long long n = 0;
            bool digits = false;
            while (i < server_message.size() && std::isdigit(static_cast<unsigned char>(server_message[i]))) {
                n = n * 10 + (server_message[i] - '0');
                digits = true;
                ++i;
            }
            if (digits && i < server_message.size() && server_message[i] == ':') return n;
        }
        pos = server_message.find("LINE ", pos + 1);
    }
    return std::nullopt;
}

long long run_up(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings) {
    if (m.up.batch) return run_backfill(db, lock, m, settings);
    return m.up.no_transaction ? run_statements(db, lock, m, m.up, settings, true)
                               : run_retrying(db, lock, m, m.up, settings, true);
}

long long run_down(pg::Connection& db, const JobLock& lock, const MigrationFile& m, const RunSettings& settings) {
    const Script& script = *m.down;
    if (script.batch)
        throw Error(Exit::data, fmt::format("{}: a down file cannot be batched; write it as a plain migration", script.path.string()));
    return script.no_transaction ? run_statements(db, lock, m, script, settings, false)
                                 : run_retrying(db, lock, m, script, settings, false);
}

}  // namespace spotctl::migrate
