#include "support/private_redis.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "support/harness.hpp"

namespace spotctl::test {

PrivateRedis::PrivateRedis(RedisOptions options) : options_(std::move(options)) {
    socket_ = (dir_ / "redis.sock").string();
    start();
}

PrivateRedis::~PrivateRedis() { run_shell(fmt::format("kill $(cat {}/redis.pid) 2>/dev/null", dir_.path().string())); }

void PrivateRedis::start() {
    std::string extra = options_.persistent ? " --appendonly yes --appendfsync everysec" : " --appendonly no";
    if (!options_.password.empty()) extra += " --requirepass " + options_.password;
    // Ready when it answers PING (not LOADING its append-only file).
    auto r = run_shell(fmt::format("redis-server --port 0 --unixsocket {0} --unixsocketperm 700 --save '' --daemonize yes "
                                   "--pidfile {1}/redis.pid --logfile {1}/redis.log --dir {1}{2} >/dev/null 2>&1 && "
                                   "for i in $(seq 1 200); do redis-cli -s {0}{3} ping 2>/dev/null | grep -q PONG && exit 0; "
                                   "sleep 0.05; done; exit 1",
                                   socket_, dir_.path().string(), extra, auth()));
    REQUIRE(r.exit_code == 0);
}

void PrivateRedis::stop() {
    run_shell(fmt::format("redis-cli -s {}{} shutdown >/dev/null 2>&1; "
                          "for i in $(seq 1 100); do [ -S {} ] || exit 0; sleep 0.05; done",
                          socket_, auth(), socket_));
}

std::string PrivateRedis::auth() const {
    return options_.password.empty() ? "" : " -a " + options_.password + " --no-auth-warning";
}

std::string PrivateRedis::cli(const std::string& args) const {
    auto out = run_shell(fmt::format("redis-cli -s {} {}", socket_, args)).out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

void PrivateRedis::fill(const std::string& prefix, int n) const {
    auto r = run_shell(fmt::format("seq {} | sed 's/.*/SET {}&  x/' | redis-cli -s {} --pipe >/dev/null", n, prefix, socket_));
    REQUIRE(r.exit_code == 0);
}

}  // namespace spotctl::test
