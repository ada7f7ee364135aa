#include "commands/migrate/lock_watch.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/log.hpp"
#include "core/redact.hpp"
#include "core/single_line.hpp"

namespace spotctl::migrate {
namespace {

// The oldest transaction among the blockers first: a session queued ahead of the migration is
// blocked itself, and the one holding everyone up is the one whose transaction started first.
constexpr const char* blockers_sql = R"(
SELECT a.pid, coalesce(a.application_name, '') AS application_name,
       coalesce(host(a.client_addr) || ':' || a.client_port, 'local socket') AS client,
       coalesce(a.state, '') AS state,
       (extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.state_change, a.backend_start)) * 1000)::bigint AS held_ms,
       coalesce(split_part(a.query, E'\n', 1), '') AS query
  FROM pg_stat_activity a
 WHERE a.pid = ANY (pg_blocking_pids($1))
 ORDER BY coalesce(a.xact_start, a.state_change, a.backend_start), a.pid
 LIMIT 1)";

constexpr std::size_t query_bytes = 200;

}  // namespace

std::string describe(const Blocker& b) {
    return fmt::format("pid {} (application '{}', client {}, {} for {}, query: {})", b.pid, single_line(b.application_name, 64),
                       b.client, b.state.empty() ? "state unknown" : b.state, format_duration(Millis(b.held_ms)),
                       b.query.empty() ? "none" : b.query);
}

Millis sampling_interval(Millis lock_timeout) {
    if (lock_timeout.count() <= 0) return Millis(500);  // a migration's own SET lock_timeout
    return std::clamp(Millis(lock_timeout.count() / 5), Millis(20), Millis(500));
}

LockWatch::LockWatch(pg::Settings settings, int migrating_pid, Millis interval)
    : settings_(std::move(settings)), migrating_pid_(migrating_pid), interval_(interval) {
    settings_.application_name = "spotctl migrate blocker watch";
}

LockWatch::~LockWatch() { stop(); }

void LockWatch::start() {
    stop();
    {
        std::lock_guard<std::mutex> guard(mutex_);
        stopping_ = false;
        seen_.reset();
    }
    thread_ = std::thread([this] { sample_until_stopped(); });
}

std::optional<Blocker> LockWatch::stop() {
    if (thread_.joinable()) {
        {
            std::lock_guard<std::mutex> guard(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    std::lock_guard<std::mutex> guard(mutex_);
    return seen_;
}

void LockWatch::sample_until_stopped() {
    std::unique_lock<std::mutex> guard(mutex_);
    while (!wake_.wait_for(guard, interval_, [this] { return stopping_; })) {
        guard.unlock();
        std::optional<Blocker> blocker;
        try {
            if (!conn_) conn_ = std::make_unique<pg::Connection>(settings_);
            auto rows = conn_->exec(blockers_sql, pg::params(migrating_pid_));
            if (!rows.empty()) {
                auto r = rows[0];
                blocker = Blocker{static_cast<int>(r.integer("pid")), r.str("application_name"), r.str("client"),
                                  r.str("state"), r.integer("held_ms"),
                                  scrub_secrets(single_line(r.str("query"), query_bytes))};
            }
        } catch (const Error& e) {
            // The watch only explains a failure; it must never cause one.
            log::debug("lock watch: {}", e.what());
            conn_.reset();
        }
        guard.lock();
        if (blocker) seen_ = std::move(blocker);
    }
}

}  // namespace spotctl::migrate
