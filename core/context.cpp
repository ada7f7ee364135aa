#include "core/context.hpp"

#include <fmt/format.h>
#include <iostream>

#include "core/terminal.hpp"

namespace spotctl {

Context::Context(GlobalOptions options, std::string command, Config config)
    : options_(std::move(options)), command_(std::move(command)), config_(std::move(config)) {}

Context::~Context() = default;

pg::Settings Context::pg_settings() const {
    pg::Settings s;
    s.url = options_.database_url;
    s.application_name = "spotctl " + command_;
    s.connect_timeout = options_.connect_timeout;
    return s;
}

pg::Connection& Context::db() {
    if (!db_) db_ = pg::Connection::open(pg_settings(), options_.wait_for_db);
    return *db_;
}

redis::Client& Context::redis() {
    if (!redis_) redis_ = std::make_unique<redis::Client>(redis::parse_url(options_.redis_url), options_.connect_timeout);
    return *redis_;
}

std::ostream& Context::out() { return std::cout; }

exporters::Format Context::format() const { return exporters::parse_format(options_.output); }

std::unique_ptr<exporters::RowWriter> Context::writer(const exporters::WriterOptions& extra) {
    if (format() == exporters::Format::pdf)
        throw Error(Exit::usage, fmt::format("{} cannot write -o pdf", command_), "use -o table, json or csv; PDF is for spotctl report run");
    exporters::WriterOptions o = extra;
    o.color = terminal::color_enabled();
    if (!options_.wide) o.max_width = terminal::stdout_columns();
    return exporters::make_writer(format(), out(), o);
}

void Context::confirm(const std::string& question, bool yes) const {
    if (yes) return;
    if (!terminal::stdin_is_tty() || !terminal::stderr_is_tty())
        throw Error(Exit::usage, "refusing to continue without confirmation: not a terminal",
                    "add --yes to confirm from a script");
    if (!terminal::ask_yes_no(question)) throw Error(Exit::failure, "cancelled: nothing was changed");
}

}  // namespace spotctl
