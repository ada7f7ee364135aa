// spotctl health against real PostgreSQL (and a streaming replica), Redis, an HTTP server in
// this process, a TLS server, and a socket that accepts connections and never answers.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <regex>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "support/harness.hpp"
#include "support/replica.hpp"
#include "support/private_redis_cluster.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

const std::string migrations = std::string(SPOTCTL_SOURCE_DIR) + "/migrations";

// The platform's servers as the tests see them: /health answers like the real API.
class TestHttpServer {
public:
    TestHttpServer() {
        server_.Get("/health", [](const httplib::Request&, httplib::Response& r) {
            r.set_content(R"({"status": "healthy", "checks": {"db": "ok"}})", "application/json");
        });
        server_.Get("/broken", [](const httplib::Request&, httplib::Response& r) {
            r.status = 500;
            r.set_content(R"({"status": "error"})", "application/json");
        });
        server_.Get("/degraded", [](const httplib::Request&, httplib::Response& r) {
            r.set_content(R"({"status": "degraded"})", "application/json");
        });
        server_.Get("/slow", [](const httplib::Request&, httplib::Response& r) {
            std::this_thread::sleep_for(std::chrono::seconds(3));
            r.set_content(R"({"status": "healthy"})", "application/json");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() before the listener runs would leave it running for ever.
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~TestHttpServer() {
        server_.stop();
        thread_.join();
    }
    std::string url(const std::string& path) const { return fmt::format("http://127.0.0.1:{}{}", port_, path); }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

// Listens on loopback and never accepts: connections complete in the backlog, nothing answers.
class BlackHole {
public:
    BlackHole() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 64) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    ~BlackHole() { ::close(fd_); }
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

int unused_port() {
    BlackHole probe;  // bound then closed: nothing listens there afterwards
    return probe.port();
}

// The probes of a -o json report, by name.
std::map<std::string, nlohmann::json> probes_of(const RunResult& r) {
    INFO(r.out << r.err);
    REQUIRE(nlohmann::json::accept(r.out));
    const auto report = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> probes;
    for (const auto& p : report["probes"]) probes[p["name"].get<std::string>()] = p;
    return probes;
}

// openssl s_server on a free loopback port with DIR/cert.pem and DIR/key.pem, until destroyed.
class TlsServer {
public:
    explicit TlsServer(const TempDir& dir) : dir_(dir), port_(unused_port()) {
        run_shell(fmt::format("openssl s_server -quiet -www -accept {} -cert '{}' -key '{}' >/dev/null 2>&1 & echo $! > '{}'", port_,
                              cert(), (dir / "key.pem").string(), (dir / "server.pid").string()));
        // Ready once it accepts a connection.
        REQUIRE(run_shell(fmt::format("bash -c 'for i in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/{}) 2>/dev/null && exit 0; "
                                      "sleep 0.05; done; exit 1'",
                                      port_)).exit_code == 0);
    }
    ~TlsServer() { run_shell(fmt::format("kill $(cat '{}')", (dir_ / "server.pid").string())); }
    std::string url() const { return fmt::format("https://127.0.0.1:{}/", port_); }
    std::string cert() const { return (dir_ / "cert.pem").string(); }

private:
    const TempDir& dir_;
    int port_;
};

RunResult health(const std::string& db_url, std::vector<std::string> args, const std::string& redis = "",
                 const std::string& config = "") {
    std::vector<std::string> full = {"--database-url", db_url, "--redis-url", redis.empty() ? required_env("SPOTCTL_TEST_REDIS") : redis};
    if (!config.empty()) full.insert(full.end(), {"--config", config});
    full.push_back("health");
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full, {{"SPOTCTL_MIGRATIONS_DIR", migrations}});
}

}  // namespace

TEST_CASE("health: everything up is OK, exit 0", "[health]") {
    TempDatabase db("spotctl_template");
    TestHttpServer http;
    auto r = health(db.url(), {"--http", "api=" + http.url("/health"), "--http-json", "status=healthy"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::regex_search(r.out, std::regex(R"(postgres\s+primary\s+OK)")));
    REQUIRE(std::regex_search(r.out, std::regex(R"(redis\s+redis\s+OK\s+[0-9.]+\s+Redis \d)")));
    REQUIRE(std::regex_search(r.out, std::regex(R"(http\s+api\s+OK\s+[0-9.]+\s+HTTP 200)")));
    REQUIRE(r.out.find("OK: 3 probe(s), 0 not OK") != std::string::npos);
}

TEST_CASE("health: PostgreSQL down is CRITICAL and names what failed", "[health]") {
    int port = unused_port();
    auto r = health(fmt::format("postgresql://spot:secretpw@127.0.0.1:{}/spot", port), {"postgres", "-o", "nagios"});
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.out.rfind(fmt::format("SPOTCTL CRITICAL - postgres primary CRITICAL: cannot connect to postgresql://spot:****@127.0.0.1:{}/spot:", port), 0) == 0);
    REQUIRE(r.out.find("secretpw") == std::string::npos);
    REQUIRE(r.out.find("'postgres_primary_up'=0") != std::string::npos);  // perfdata even when the probe fails
}

TEST_CASE("health: Redis unreachable is CRITICAL", "[health]") {
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"redis"}, fmt::format("redis://127.0.0.1:{}/0", unused_port()));
    REQUIRE(r.exit_code == 2);
    REQUIRE(std::regex_search(r.out, std::regex(R"(redis\s+127\.0\.0\.1:\d+\s+CRITICAL\s+[0-9.]+\s+Redis at redis://127\.0\.0\.1:\d+/0 failed while connecting)")));
}

TEST_CASE("health: HTTP status, body and slowness", "[health][http]") {
    TempDatabase db("spotctl_template");
    TestHttpServer http;
    SECTION("a 500 is CRITICAL") {
        auto r = health(db.url(), {"http", "--http", "api=" + http.url("/broken")});
        REQUIRE(r.exit_code == 2);
        REQUIRE(r.out.find("HTTP 500 in") != std::string::npos);
        REQUIRE(r.out.find("status 500 (expected 200)") != std::string::npos);
    }
    SECTION("a wrong status field is CRITICAL") {
        auto r = health(db.url(), {"http", "--http", "api=" + http.url("/degraded"), "--http-json", "status=healthy"});
        REQUIRE(r.exit_code == 2);
        REQUIRE(r.out.find("status is 'degraded' (expected 'healthy')") != std::string::npos);
    }
    SECTION("a missing field is CRITICAL") {
        auto r = health(db.url(), {"http", "--http", "api=" + http.url("/health"), "--http-json", "checks.cache=ok"});
        REQUIRE(r.exit_code == 2);
        REQUIRE(r.out.find("the body has no JSON field 'checks.cache'") != std::string::npos);
    }
    SECTION("a nested field is found") {
        auto r = health(db.url(), {"http", "--http", "api=" + http.url("/health"), "--http-json", "checks.db=ok"});
        REQUIRE(r.exit_code == 0);
    }
    SECTION("a slow answer times out, and --timeout-state chooses what that reports") {
        auto critical = health(db.url(), {"http", "--http", "api=" + http.url("/slow"), "--probe-timeout", "1s"});
        REQUIRE(critical.exit_code == 2);
        REQUIRE(critical.out.find("no answer within 1.000s") != std::string::npos);
        auto warning = health(db.url(), {"http", "--http", "api=" + http.url("/slow"), "--probe-timeout", "1s", "--timeout-state", "warning"});
        REQUIRE(warning.exit_code == 1);
        auto unknown = health(db.url(), {"http", "--http", "api=" + http.url("/slow"), "--probe-timeout", "1s", "--timeout-state", "unknown", "-o", "json"});
        REQUIRE(unknown.exit_code == 3);
        REQUIRE(unknown.out.find("\"timed_out\": true") != std::string::npos);
    }
}

TEST_CASE("health: an endpoint's expect_status or max_latency_ms that is not a number is UNKNOWN at its file and line", "[health][http]") {
    TempDir dir;
    // std::stol and std::stod made these "internal error: stol" (found by reading after fuzzing
    // found the same in parse_duration).
    for (const char* bad : {"expect_status = \"abc\"", "expect_status = 200.5", "expect_status = 99", "max_latency_ms = \"fast\""}) {
        auto file = dir.write("config.toml", fmt::format("[health.http.api]\nurl = \"http://127.0.0.1:1/\"\n{}\n", bad));
        auto r = run_spotctl({"--config", file.string(), "health", "http"});
        INFO(bad << "\n" << r.err);
        REQUIRE(r.exit_code == 3);
        REQUIRE(r.err.rfind(fmt::format("spotctl: error: {}:3: health.http.api.", file.string()), 0) == 0);
        REQUIRE(r.err.find("internal error") == std::string::npos);
    }
}

TEST_CASE("health: a socket that accepts and never answers cannot hold the command past its timeout", "[health]") {
    BlackHole hole;
    auto started = std::chrono::steady_clock::now();
    auto r = health(fmt::format("postgresql://spot@127.0.0.1:{}/spot", hole.port()),
                    {"--http", fmt::format("api=http://127.0.0.1:{}/health", hole.port()), "--timeout", "2s", "-o", "json"},
                    fmt::format("redis://127.0.0.1:{}/0", hole.port()));
    auto took = std::chrono::steady_clock::now() - started;
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 2);
    // Each of the three probes timed out on its own, and the whole command ended soon after the limit.
    std::size_t timed_out = 0;
    for (auto pos = r.out.find("\"timed_out\": true"); pos != std::string::npos; pos = r.out.find("\"timed_out\": true", pos + 1)) ++timed_out;
    REQUIRE(timed_out == 3);
    REQUIRE(took < std::chrono::milliseconds(2000 + 1500));
}

TEST_CASE("health: a crossed threshold is a WARNING", "[health]") {
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"postgres", "--warning", "postgres.latency_ms=0"});
    REQUIRE(r.exit_code == 1);
    REQUIRE(std::regex_search(r.out, std::regex(R"(postgres\s+primary\s+WARNING.*latency_ms is [0-9.]+ms \(>= 0ms\))")));
    auto critical = health(db.url(), {"postgres", "--critical", "postgres.connections_used_percent=0"});
    REQUIRE(critical.exit_code == 2);
    auto bad = health(db.url(), {"postgres", "--warning", "postgres.nothing=1"});
    REQUIRE(bad.exit_code == 3);  // UNKNOWN: the check could not run as asked
    REQUIRE(bad.err.find("spotctl: error: invalid --warning 'postgres.nothing=1'") != std::string::npos);
}

TEST_CASE("health: pending migrations are reported", "[health]") {
    TempDatabase empty;
    auto r = health(empty.url(), {"postgres", "-o", "json"});
    REQUIRE(r.exit_code == 1);
    auto expected = fmt::format(R"("pending_migrations": \{{[^}}]*"state": "WARNING",[^}}]*"value": {}\.0)", platform_migration_count());
    REQUIRE(std::regex_search(r.out, std::regex(expected)));
}

// The probe reads the migrations recorded in the same round trip as the server's state and
// compares their checksums with the files, which it hashed meanwhile.
TEST_CASE("health: applied, pending and changed migrations against a copy of the files", "[health]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    std::filesystem::copy(migrations, dir.path());
    auto metric = [](const std::string& json, const std::string& name) {
        std::smatch m;
        REQUIRE(std::regex_search(json, m, std::regex("\"" + name + R"(": \{[^}]*"value": ([0-9]+)\.0)")));
        return std::stoul(m[1].str());
    };
    auto same = health(db.url(), {"postgres", "-o", "json", "--migrations-dir", dir.path().string()});
    INFO(same.out << same.err);
    REQUIRE(same.exit_code == 0);
    CHECK(metric(same.out, "applied_migrations") == platform_migration_count());
    CHECK(metric(same.out, "pending_migrations") == 0);
    CHECK(metric(same.out, "changed_migrations") == 0);

    // One applied file edited, one new file: one changed, one pending.
    auto first = dir / "0001_extensions_and_users.up.sql";
    std::ofstream(first, std::ios::app) << "\n-- edited after it was applied\n";
    dir.write("9999_later.up.sql", "SELECT 1;\n");
    dir.write("9999_later.down.sql", "SELECT 1;\n");
    auto changed = health(db.url(), {"postgres", "-o", "json", "--migrations-dir", dir.path().string()});
    INFO(changed.out << changed.err);
    CHECK(changed.exit_code != 0);
    CHECK(metric(changed.out, "changed_migrations") == 1);
    CHECK(metric(changed.out, "pending_migrations") == 1);
}

TEST_CASE("health: a replica reports its lag", "[health][replica]") {
    TempDatabase db("spotctl_template");
    // A replica of this test's own: it pauses replay, which other tests' replica must never see.
    std::string replica = required_env("SPOTCTL_TEST_LAG_REPLICA_PG");
    auto fine = health(db.url(), {"postgres", "--replica-url", replica, "-o", "json"});
    INFO(fine.out);
    REQUIRE(fine.out.find("\"name\": \"replica1\"") != std::string::npos);
    REQUIRE(std::regex_search(fine.out, std::regex(R"("in_recovery": \{[^}]*"value": 1\.0)")));
    REQUIRE(fine.out.find("\"replication_lag_bytes\"") != std::string::npos);
    REQUIRE(fine.out.find("\"replication_lag_seconds\"") != std::string::npos);
    // Let it catch up with the rest of the suite's WAL first: the lag below is the one this test makes.
    REQUIRE(replica_caught_up(db, replica));
    pg::Connection standby(pg::Settings{replica, "spotctl tests"});
    // Pause replay, write on the primary: the lag in bytes grows and crosses a limit.
    standby.exec("SELECT pg_wal_replay_pause()");
    db.conn().exec("CREATE TABLE lag_maker AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
    db.conn().exec("SELECT pg_switch_wal()");
    // Only the warning limit is in question: a loaded machine's replay may lag past the others.
    auto lagging = health(db.url(), {"postgres", "--replica-url", replica, "--warning", "postgres.replication_lag_bytes=1024", "--critical",
                                     "postgres.replication_lag_bytes=1099511627776", "--critical", "postgres.replication_lag_seconds=86400"});
    standby.exec("SELECT pg_wal_replay_resume()");
    INFO(lagging.out);
    REQUIRE(lagging.exit_code == 1);
    REQUIRE(std::regex_search(lagging.out, std::regex(R"(replica1\s+WARNING.*replication_lag_bytes is \d+B \(>= 1024B\))")));
}

TEST_CASE("health: Nagios output is one status line with performance data", "[health][format]") {
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"-o", "nagios"});
    REQUIRE(r.exit_code == 0);
    // SPOTCTL STATE - text | 'label'=value[UOM];[warn];[crit];[min];[max] ...
    static const std::regex line(R"(^SPOTCTL (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+ \|( '[A-Za-z0-9_]+'=-?[0-9.]+(ms|s|%|B|c)?(;[0-9.]*){0,4})+\n$)");
    INFO(r.out);
    REQUIRE(std::regex_match(r.out, line));
    REQUIRE(r.out.rfind("SPOTCTL OK - 2 of 2 probes OK |", 0) == 0);
}

TEST_CASE("health: Prometheus output follows the text format and is written atomically", "[health][format]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    auto file = dir / "spotctl.prom";
    auto r = health(db.url(), {"-o", "prometheus", "--output-file", file.string()});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.empty());
    std::string text = slurp(file);
    static const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9.]+(e[-+]?[0-9]+)?|NaN|[+-]Inf)$)");
    static const std::regex help(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::istringstream in(text);
    std::string l;
    std::size_t samples = 0;
    std::set<std::string> typed;
    while (std::getline(in, l)) {
        INFO(l);
        if (l.rfind("# ", 0) == 0) {
            REQUIRE(std::regex_match(l, help));
            if (l.rfind("# TYPE ", 0) == 0) typed.insert(l.substr(7, l.find(' ', 7) - 7));
            continue;
        }
        REQUIRE(std::regex_match(l, sample));
        REQUIRE(typed.count(l.substr(0, l.find_first_of("{ "))) == 1);  // every sample's metric has a TYPE line
        ++samples;
    }
    REQUIRE(samples > 10);
    REQUIRE(text.find("spotctl_health_up{kind=\"postgres\",name=\"primary\"} 1") != std::string::npos);
    REQUIRE(text.find("spotctl_health_overall_state 0") != std::string::npos);
    REQUIRE(std::regex_search(text, std::regex(R"(spotctl_health_postgres_latency_seconds\{name="primary"\} 0\.\d+)")));
    REQUIRE(std::regex_search(text, std::regex(R"(spotctl_health_last_run_timestamp_seconds \d{10})")));
}

TEST_CASE("health: a certificate close to expiry is a WARNING", "[health][http]") {
    TempDir dir;
    REQUIRE(run_shell(fmt::format("openssl req -x509 -newkey rsa:2048 -nodes -keyout '{}' -out '{}' -days 10 -subj /CN=127.0.0.1 "
                                  "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; echo $?",
                                  (dir / "key.pem").string(), (dir / "cert.pem").string())).out == "0\n");
    TlsServer server(dir);
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"http", "--http", "tls=" + server.url(), "--ca-file", server.cert(), "-o", "json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    REQUIRE(std::regex_search(r.out, std::regex(R"("certificate_days_left": \{[^}]*"state": "WARNING",[^}]*"value": (9|10)\.0)")));
}

TEST_CASE("health: an expired certificate is CRITICAL, verified or not", "[health][http]") {
    TempDir dir;
    // Valid for January 2020 only: openssl ca signs the request with its own key and those dates.
    dir.write("index.txt", "");
    dir.write("serial", "01\n");
    const auto config = dir.write("ca.cnf", fmt::format("[ca]\ndefault_ca = d\n[d]\ndatabase = {0}/index.txt\nserial = {0}/serial\n"
                                                        "new_certs_dir = {0}\ndefault_md = sha256\npolicy = p\ncopy_extensions = copy\n"
                                                        "[p]\ncommonName = supplied\n",
                                                        dir.path().string()));
    REQUIRE(run_shell(fmt::format("cd '{}' && openssl req -new -newkey rsa:2048 -nodes -keyout key.pem -out req.pem -subj /CN=127.0.0.1 "
                                  "-addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=critical,CA:TRUE >/dev/null 2>&1 && "
                                  "openssl ca -batch -config '{}' -selfsign -keyfile key.pem -in req.pem -out cert.pem "
                                  "-startdate 20200101000000Z -enddate 20200201000000Z >/dev/null 2>&1; echo $?",
                                  dir.path().string(), config.string())).out == "0\n");
    TlsServer server(dir);
    TempDatabase db("spotctl_template");
    auto verified = health(db.url(), {"http", "--http", "tls=" + server.url(), "--ca-file", server.cert()});
    INFO(verified.out << verified.err);
    REQUIRE(verified.exit_code == 2);
    REQUIRE(std::regex_search(verified.out, std::regex(R"(http\s+tls\s+CRITICAL\s.*certificate has expired)")));
    // Without verification the connection succeeds, and the days left (below zero) are CRITICAL.
    auto file = dir.write("config.toml", fmt::format("[health.http.tls]\nurl = \"{}\"\nverify_tls = false\n", server.url()));
    auto unverified = run_spotctl({"--config", file.string(), "--database-url", db.url(), "health", "http", "-o", "json"});
    INFO(unverified.out << unverified.err);
    REQUIRE(unverified.exit_code == 2);
    REQUIRE(std::regex_search(unverified.out, std::regex(R"("certificate_days_left": \{[^}]*"state": "CRITICAL",[^}]*"value": -\d+\.0)")));
}

TEST_CASE("health: a Redis Cluster is probed node by node", "[health][cluster]") {
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"redis", "-o", "json"}, required_env("SPOTCTL_TEST_REDIS_CLUSTER"));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    // The node we asked, then the two other masters from CLUSTER NODES.
    std::size_t probes = 0;
    for (auto pos = r.out.find("\"kind\": \"redis\""); pos != std::string::npos; pos = r.out.find("\"kind\": \"redis\"", pos + 1)) ++probes;
    REQUIRE(probes == 3);
    REQUIRE(std::regex_search(r.out, std::regex(R"("cluster_ok": \{[^}]*"state": "OK",[^}]*"value": 1\.0)")));
}

TEST_CASE("health: thresholds come from the configuration file, and a flag overrides them", "[health]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    auto config = dir.write("config.toml", "[health.thresholds.postgres]\nlatency_ms = { warning = 0, critical = 100000 }\n").string();
    auto r = health(db.url(), {"postgres", "-o", "json"}, "", config);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    const auto latency = probes_of(r).at("primary")["metrics"]["latency_ms"];
    REQUIRE(latency["warning"] == 0.0);
    REQUIRE(latency["critical"] == 100000.0);
    REQUIRE(latency["state"] == "WARNING");
    auto flagged = health(db.url(), {"postgres", "--warning", "postgres.latency_ms=50000"}, "", config);
    REQUIRE(flagged.exit_code == 0);
    auto bad = dir.write("bad.toml", "[health.thresholds.postgres]\nlatency_ms = { warning = \"fast\" }\n").string();
    auto refused = health(db.url(), {"postgres"}, "", bad);
    REQUIRE(refused.exit_code == 3);
    REQUIRE(refused.err.rfind(fmt::format("spotctl: error: {}:2: health.thresholds.postgres.latency_ms.warning must be a number, not 'fast'", bad), 0) == 0);
}

TEST_CASE("health: changed and dirty migrations are a WARNING and a CRITICAL", "[health]") {
    TempDatabase db;
    TempDir dir;
    dir.write("0001_a.up.sql", "CREATE TABLE a (id int);\n");
    dir.write("0002_b.up.sql", "-- spotctl:no-transaction\nCREATE TABLE b (id int);\nSELECT 1 / 0;\n");
    REQUIRE(run_spotctl({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up", "--to", "1"}).exit_code == 0);
    auto probe = [&] {
        return run_spotctl({"--database-url", db.url(), "health", "postgres", "--migrations-dir", dir.path().string(), "-o", "json"});
    };
    auto metric = [](const RunResult& r, const std::string& name, const std::string& state, int value) {
        INFO(r.out << r.err);
        REQUIRE(std::regex_search(r.out, std::regex(fmt::format(R"("{}": \{{[^}}]*"state": "{}",[^}}]*"value": {}\.0)", name, state, value))));
    };
    auto clean = probe();
    metric(clean, "changed_migrations", "OK", 0);
    metric(clean, "dirty_migrations", "OK", 0);

    dir.write("0001_a.up.sql", "CREATE TABLE a (id bigint);\n");  // edited after it ran
    auto changed = probe();
    REQUIRE(changed.exit_code == 1);
    metric(changed, "changed_migrations", "WARNING", 1);

    REQUIRE(run_spotctl({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "repair", "--yes"}).exit_code == 0);
    REQUIRE(run_spotctl({"--database-url", db.url(), "migrate", "--dir", dir.path().string(), "up"}).exit_code == 65);
    auto dirty = probe();
    REQUIRE(dirty.exit_code == 2);
    metric(dirty, "dirty_migrations", "CRITICAL", 1);
    metric(dirty, "changed_migrations", "OK", 0);
}

TEST_CASE("health: --http-status sets the status an endpoint must answer", "[health][http]") {
    TempDatabase db("spotctl_template");
    TestHttpServer http;
    auto expected_500 = health(db.url(), {"http", "--http", "api=" + http.url("/broken"), "--http-status", "500"});
    INFO(expected_500.out << expected_500.err);
    REQUIRE(expected_500.exit_code == 0);
    REQUIRE(std::regex_search(expected_500.out, std::regex(R"(http\s+api\s+OK\s+[0-9.]+\s+HTTP 500)")));
    auto got_200 = health(db.url(), {"http", "--http", "api=" + http.url("/health"), "--http-status", "204"});
    REQUIRE(got_200.exit_code == 2);
    REQUIRE(got_200.out.find("status 200 (expected 204)") != std::string::npos);
    auto bad = health(db.url(), {"http", "--http", "api=" + http.url("/health"), "--http-status", "abc"});
    REQUIRE(bad.exit_code == 3);
}

TEST_CASE("health: --watch checks again every SECONDS until stopped", "[health]") {
    TempDatabase db("spotctl_template");
    TempDir dir;
    const auto file = dir / "health.json";
    Background watch({"--database-url", db.url(), "health", "postgres", "--watch", "1", "-o", "json", "--output-file", file.string()},
                     {{"SPOTCTL_MIGRATIONS_DIR", migrations}});
    // Each check rewrites the file with its own checked_at: wait for three of them.
    std::set<long long> checks;
    for (int i = 0; i < 1200 && checks.size() < 3; ++i) {
        std::smatch m;
        std::string text = slurp(file);
        if (std::regex_search(text, m, std::regex(R"("checked_at": (\d+))"))) checks.insert(std::stoll(m[1].str()));
        if (checks.size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    watch.signal(SIGTERM);
    auto r = watch.wait();
    INFO(r.err);
    REQUIRE(checks.size() == 3);
    REQUIRE(*checks.rbegin() - *checks.begin() >= 2);  // a second apart at least, each
    REQUIRE(r.exit_code == 143);                        // it ran until stopped
}

TEST_CASE("health: a failed Redis Cluster master is CRITICAL, on its own probe and the cluster's state", "[health][cluster]") {
    PrivateRedisCluster redis_cluster;
    redis_cluster.fail_master(2);
    TempDatabase db("spotctl_template");
    auto r = health(db.url(), {"redis", "-o", "json"}, redis_cluster.url(0));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 2);
    auto probes = probes_of(r);
    const auto name = [&](std::size_t node) { return fmt::format("127.0.0.1:{}", redis_cluster.ports()[node]); };
    REQUIRE(probes.size() == 3);
    REQUIRE(probes.at(name(2))["state"] == "CRITICAL");  // the failed master itself
    REQUIRE(probes.at(name(2))["up"] == false);
    // The node asked sees the cluster's state as failing.
    REQUIRE(probes.at(name(0))["metrics"]["cluster_ok"]["value"] == 0.0);
    REQUIRE(probes.at(name(0))["metrics"]["cluster_ok"]["state"] == "CRITICAL");
    REQUIRE(probes.at(name(0))["state"] == "CRITICAL");
}
