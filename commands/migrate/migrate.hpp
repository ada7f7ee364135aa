#pragma once
// `spotctl migrate`: the subcommands' logic. Each takes plain options and a Context.
#include <optional>
#include <string>
#include <vector>

#include "core/context.hpp"
#include "core/duration.hpp"

namespace spotctl::migrate {

struct Options {
    std::string dir;                 // --dir / migrate.dir; empty: ./migrations or the installed copy
    Millis lock_wait{Millis(0)};     // --lock-timeout: how long to wait for another run's lock
    Millis ddl_lock_timeout{Millis(10'000)};  // --ddl-lock-timeout: PostgreSQL lock_timeout for DDL
    Millis statement_timeout{Millis(0)};      // --statement-timeout: 0 disables
    int lock_retries = 5;                     // --lock-retries: more tries after a lock timeout
    Millis lock_retry_base{Millis(500)};      // --lock-retry-base: wait before the first retry
};

int status(Context& ctx, const Options& o, bool check);
int up(Context& ctx, const Options& o, std::optional<long long> to, bool dry_run);
int down(Context& ctx, const Options& o, std::optional<int> steps, std::optional<long long> to, bool dry_run, bool yes);
int validate(Context& ctx, const Options& o, bool offline);
// Exactly one of `version` and `from` (golang-migrate or dbmate, whose table says the version).
int baseline(Context& ctx, const Options& o, std::optional<long long> version, const std::string& from);
int repair(Context& ctx, const Options& o, bool dry_run, bool yes);
int create(Context& ctx, const Options& o, const std::string& name, bool no_transaction);
// With a database configured, also flags UPDATE/DELETE outside a batched migration on tables
// estimated above `big_table_rows` rows.
int lint(Context& ctx, const Options& o, const std::vector<std::string>& files, bool check, long long big_table_rows);

}  // namespace spotctl::migrate
