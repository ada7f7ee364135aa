// spotctl cache against real Redis servers: a Redis of its own for each single-node test case
// (purges and stats see the whole keyspace, so test cases must not share one), and the
// three-master Redis Cluster that scripts/test starts (SPOTCTL_TEST_REDIS_CLUSTER), where each
// test case works under a key prefix of its own, declared as namespaces in a configuration file.
#include <catch2/catch.hpp>
#include <csignal>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "core/job_lock.hpp"
#include "support/harness.hpp"
#include "support/private_redis.hpp"
#include "support/private_redis_cluster.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

using Keys = std::set<std::string>;

// How redis-cli and spotctl reach the Redis under test.
struct Server {
    std::string url;                       // --redis-url
    std::string cli;                       // redis-cli arguments for commands on any key
    std::vector<std::string> masters_cli;  // redis-cli arguments for each master (SCAN is per node)
    bool cluster = false;
};

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

std::string cli(const Server& s, const std::string& command) {
    auto r = run_shell(fmt::format("redis-cli {} {} 2>&1", s.cli, command));
    REQUIRE(r.exit_code == 0);
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
}

// The test case's own Redis, as a Server.
Server server_of(const PrivateRedis& redis) {
    return {redis.url(), "-s " + redis.socket(), {"-s " + redis.socket()}, false};
}

// The cluster scripts/test started; every master, from CLUSTER NODES.
Server cluster() {
    std::string url = required_env("SPOTCTL_TEST_REDIS_CLUSTER");
    std::smatch m;
    REQUIRE(std::regex_match(url, m, std::regex(R"(redis://([0-9.]+):(\d+))")));
    Server s{url, fmt::format("-c -h {} -p {}", m[1].str(), m[2].str()), {}, true};
    for (const auto& line : lines(cli(s, "cluster nodes"))) {
        std::smatch node;
        if (line.find("master") != std::string::npos && std::regex_search(line, node, std::regex(R"( ([0-9.]+):(\d+)@)")))
            s.masters_cli.push_back(fmt::format("-h {} -p {}", node[1].str(), node[2].str()));
    }
    REQUIRE(s.masters_cli.size() == 3);
    return s;
}

// Sets each key (value "v"), with a TTL in seconds when ttl > 0.
void set_keys(const Server& s, const std::vector<std::string>& keys, int ttl = 0) {
    TempDir dir;
    std::string commands;
    for (const auto& k : keys) commands += fmt::format("SET {} v{}\n", k, ttl > 0 ? fmt::format(" EX {}", ttl) : "");
    auto file = dir.write("commands", commands);
    // --pipe is fastest but does not follow cluster redirects; a cluster gets one command at a time.
    auto r = run_shell(fmt::format("redis-cli {} {} < {} > /dev/null 2>&1", s.cli, s.cluster ? "" : "--pipe", file.string()));
    REQUIRE(r.exit_code == 0);
}

// The keys matching a glob, from every master, with SCAN.
Keys keys_on(const std::string& master_cli, const std::string& glob) {
    auto r = run_shell(fmt::format("redis-cli {} --scan --pattern '{}'", master_cli, glob));
    REQUIRE(r.exit_code == 0);
    auto l = lines(r.out);
    return Keys(l.begin(), l.end());
}

Keys keys_matching(const Server& s, const std::string& glob = "*") {
    Keys all;
    for (const auto& m : s.masters_cli) all.merge(keys_on(m, glob));
    return all;
}

std::vector<std::string> numbered(const std::string& format, int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(fmt::format(fmt::runtime(format), i));
    return out;
}

Keys as_set(const std::vector<std::string>& v) { return Keys(v.begin(), v.end()); }

Keys minus(const Keys& a, const Keys& b) {
    Keys out;
    for (const auto& k : a)
        if (!b.count(k)) out.insert(k);
    return out;
}

RunResult cache(const Server& s, std::vector<std::string> args, const std::string& config = "") {
    std::vector<std::string> full = {"--redis-url", s.url};
    if (!config.empty()) full.insert(full.end(), {"--config", config});
    full.push_back("cache");
    full.insert(full.end(), args.begin(), args.end());
    return run_spotctl(full);
}

nlohmann::json json_of(const RunResult& r) {
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(nlohmann::json::accept(r.out));
    return nlohmann::json::parse(r.out);
}

std::string cursor_in(const std::string& out) {
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex(R"(resume with --cursor (\S+))")));
    return m[1].str();
}

// Charger and user ids as the platform has them (UUIDs), numbered so tests can tell them apart.
std::string uuid(int n) { return fmt::format("00000000-0000-4000-8000-{:012d}", n); }

// A key prefix no other test case (or run) uses, for the shared cluster.
std::string unique_prefix() {
    static int n = 0;
    return fmt::format("t{}x{}x{}", ::getpid(), ++n, std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
}

// A configuration file declaring the test's own namespaces (TOML tables).
std::string config_file(const TempDir& dir, const std::string& toml) { return dir.write("config.toml", toml).string(); }

}  // namespace

// Keys matching `glob` that have no TTL, counted inside Redis.
long long without_ttl(const Server& s, const std::string& glob) {
    return std::stoll(cli(s, fmt::format("eval \"local n = 0 for _, k in ipairs(redis.call('keys', ARGV[1])) do "
                                         "if redis.call('ttl', k) == -1 then n = n + 1 end end return n\" 0 '{}'",
                                         glob)));
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// ---- single Redis ------------------------------------------------------------------

TEST_CASE("cache purge removes exactly the keys of a namespace, and a dry run removes none", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    auto details = numbered("charger:00000000-0000-4000-8000-{:012d}", 0, 300);
    // charger:* matches these too, but they belong to other namespaces or to none.
    auto levels = numbered("charger:{}:level", 0, 50);
    std::vector<std::string> others = {"charger:", "charger:a:b:c", "chargers:list:abc", "user:1:profile", "chargerX", "other"};
    set_keys(s, details, 300);
    set_keys(s, levels);
    set_keys(s, others);
    Keys before = keys_matching(s);
    REQUIRE(before.size() == 356);

    auto dry = cache(s, {"purge", "charger_detail", "--dry-run"});
    INFO(dry.err);
    REQUIRE(dry.exit_code == 0);
    REQUIRE(dry.out.rfind("would remove 300 keys (", 0) == 0);
    REQUIRE(dry.out.find("of namespace charger_detail (charger:{id}); nothing was changed\nsample: charger:") != std::string::npos);
    REQUIRE(keys_matching(s) == before);

    auto purge = cache(s, {"-o", "json", "purge", "charger_detail", "--no-lock"});
    INFO(purge.err);
    REQUIRE(purge.exit_code == 0);
    auto report = json_of(purge);
    REQUIRE(report["removed"] == 300);
    REQUIRE(report["complete"] == true);
    REQUIRE(report["resume_cursor"].is_null());
    REQUIRE(report["match"] == "charger:*");
    REQUIRE(report["memory_bytes"].get<long long>() > 0);
    REQUIRE(keys_matching(s) == minus(before, as_set(details)));
}

TEST_CASE("cache purge --pattern removes a glob's keys, and a pattern matching everything needs --all --yes", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    auto stats = numbered("user:{}:stats", 0, 40);
    auto profiles = numbered("user:{}:profile", 0, 40);
    set_keys(s, stats);
    set_keys(s, profiles);

    auto r = cache(s, {"purge", "--pattern", "user:*:stats", "--no-lock"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(std::regex_search(r.out, std::regex(R"(^removed 40 keys \(.*\) of pattern 'user:\*:stats' in \d)")));
    REQUIRE(keys_matching(s) == as_set(profiles));

    auto star = cache(s, {"purge", "--pattern", "*", "--no-lock"});
    REQUIRE(star.exit_code == 64);
    REQUIRE(star.err == "spotctl: error: pattern '*' matches every key\nspotctl: hint: to empty the whole cache, say so: --all --yes\n");
    auto no_yes = cache(s, {"purge", "--all", "--no-lock"});
    REQUIRE(no_yes.exit_code == 64);
    REQUIRE(no_yes.err.rfind("spotctl: error: refusing to remove every key of the cache without --yes\n", 0) == 0);
    auto bad_glob = cache(s, {"purge", "--pattern", "user:[ab", "--no-lock"});
    REQUIRE(bad_glob.exit_code == 64);
    REQUIRE(bad_glob.err.rfind("spotctl: error: invalid pattern 'user:[ab': '[' without ']'\n", 0) == 0);
    auto both = cache(s, {"purge", "user_stats", "--pattern", "user:*", "--no-lock"});
    REQUIRE(both.exit_code == 64);
    REQUIRE(both.err.rfind("spotctl: error: give only one of NAMESPACE, --pattern GLOB and --all\n", 0) == 0);
    auto unknown = cache(s, {"purge", "carts", "--no-lock"});
    REQUIRE(unknown.exit_code == 64);
    REQUIRE(unknown.err.rfind("spotctl: error: unknown cache namespace 'carts'\nspotctl: hint: known namespaces: charger_detail, ", 0) == 0);
    REQUIRE(keys_matching(s) == as_set(profiles));  // none of the refused commands touched anything

    auto all = cache(s, {"purge", "--all", "--yes", "--no-lock"});
    REQUIRE(all.exit_code == 0);
    REQUIRE(keys_matching(s).empty());
}

TEST_CASE("keys created while a purge scans do not break it", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    auto old_keys = numbered("chargers:list:old{}", 0, 20000);
    set_keys(s, old_keys);
    set_keys(s, numbered("user:{}:profile", 0, 1000));
    // Paced, so the purge is still scanning while the keys below arrive.
    Background purge({"--redis-url", s.url, "-o", "json", "cache", "purge", "charger_list", "--no-lock", "--rate", "5000"});
    auto old_left = [&] { return std::stoul(cli(s, "eval \"return #redis.call('keys', 'chargers:list:old*')\" 0")); };
    // The new keys come once the purge has removed some of the old ones...
    bool removing = false;
    for (int i = 0; i < 1000 && !removing; ++i) {
        removing = old_left() < old_keys.size();
        if (!removing) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto new_lists = numbered("chargers:list:new{}", 0, 2000);
    auto new_users = numbered("user:{}:profile", 1000, 3000);
    set_keys(s, new_lists);
    set_keys(s, new_users);
    // ...and before it has removed them all: they arrived mid-scan.
    auto left_when_new_arrived = old_left();
    auto r = purge.wait();
    REQUIRE(removing);
    REQUIRE(left_when_new_arrived > 0);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto report = json_of(r);
    // Every key there from start to end was found; new ones may or may not have been.
    Keys lists_left = keys_matching(s, "chargers:list:*");
    for (const auto& k : lists_left) REQUIRE(k.rfind("chargers:list:new", 0) == 0);
    REQUIRE(report["removed"].get<std::size_t>() + lists_left.size() == old_keys.size() + new_lists.size());
    REQUIRE(keys_matching(s, "user:*").size() == 3000);
}

TEST_CASE("cache purge stops at --max-runtime with a cursor that --cursor resumes", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    auto keys = numbered("user:{}:stats", 0, 5000);
    set_keys(s, keys);
    set_keys(s, {"user:1:profile"});
    // 1,000 keys a second cannot remove 5,000 in one.
    auto first = cache(s, {"purge", "user_stats", "--no-lock", "--rate", "1000", "--max-runtime", "1s"});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(first.out.find("stopped at the --max-runtime limit of 1.000s; resume with --cursor ") != std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(first.out, m, std::regex(R"(^removed (\d+) keys)")));
    long long removed_first = std::stoll(m[1].str());
    REQUIRE(keys_matching(s, "user:*:stats").size() == keys.size() - static_cast<std::size_t>(removed_first));
    REQUIRE(removed_first < 5000);

    auto bad = cache(s, {"purge", "user_stats", "--no-lock", "--cursor", "abc"});
    REQUIRE(bad.exit_code == 64);
    REQUIRE(bad.err.rfind("spotctl: error: invalid --cursor 'abc': a Redis SCAN cursor is a number\n", 0) == 0);

    auto second = cache(s, {"-o", "json", "purge", "user_stats", "--no-lock", "--cursor", cursor_in(first.out)});
    REQUIRE(second.exit_code == 0);
    auto report = json_of(second);
    REQUIRE(report["complete"] == true);
    REQUIRE(report["removed"].get<long long>() + removed_first == 5000);
    REQUIRE(keys_matching(s) == Keys{"user:1:profile"});
}

TEST_CASE("Ctrl-C stops a purge cleanly, prints the cursor and exits 130", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    set_keys(s, numbered("user:{}:stats", 0, 20000));
    TempDir dir;
    // Signal once the purge says it is running (its handler is installed by then) and has removed
    // some keys: Ctrl-C strikes mid-scan.
    auto r = run_shell(fmt::format("'{0}' -v --redis-url '{1}' cache purge user_stats --no-lock --rate 2000 >{2}/out 2>{2}/err & "
                                   "pid=$!; for i in $(seq 1 200); do grep -q 'Ctrl-C stops cleanly' {2}/err && break; sleep 0.05; done; "
                                   "for i in $(seq 1 200); do [ \"$(redis-cli {3} dbsize)\" -lt 20000 ] && break; sleep 0.05; done; "
                                   "kill -INT $pid; wait $pid; echo $?",
                                   SPOTCTL_BINARY, s.url, dir.path().string(), s.cli));
    std::string out = slurp(dir / "out");
    INFO(out << slurp(dir / "err"));
    REQUIRE(r.out == "130\n");
    REQUIRE(out.find("stopped by SIGINT; resume with --cursor ") != std::string::npos);
    auto left = std::stoul(cli(s, "dbsize"));
    REQUIRE(left > 0);       // stopped part-way...
    REQUIRE(left < 20000);   // ...after removing some
    auto rest = cache(s, {"purge", "user_stats", "--no-lock", "--cursor", cursor_in(out)});
    REQUIRE(rest.exit_code == 0);
    REQUIRE(keys_matching(s).empty());
}

TEST_CASE("cache invalidate removes every key of one charger or user and no other", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    TempDir dir;
    // A namespace of the servers' that is not built in, with a second placeholder.
    auto config = config_file(dir, "[cache.namespaces.user_feed]\npattern = \"feed:{id}:{page}\"\nentity = \"user\"\nttl = 120\n");
    std::string a = uuid(1), b = uuid(2), u = uuid(3), v = uuid(4);
    std::vector<std::string> charger_a = {"charger:" + a, "charger:" + a + ":level"};
    std::vector<std::string> charger_b = {"charger:" + b, "charger:" + b + ":level"};
    std::vector<std::string> lists = {"chargers:list:f1", "chargers:list:f2"};
    std::vector<std::string> user_u = {"user:" + u + ":profile", "user:" + u + ":stats", "feed:" + u + ":1", "feed:" + u + ":2"};
    std::vector<std::string> user_v = {"user:" + v + ":profile", "feed:" + v + ":1", "feed:" + u};
    for (const auto* group : {&charger_a, &charger_b, &lists, &user_u, &user_v}) set_keys(s, *group);
    Keys all = keys_matching(s);

    auto dry = cache(s, {"invalidate", "--charger", a, "--dry-run"}, config);
    REQUIRE(dry.exit_code == 0);
    REQUIRE(dry.out.find(fmt::format("4 keys of charger {} found; nothing was changed", a)) != std::string::npos);
    REQUIRE(keys_matching(s) == all);

    // A charger's own keys and every cached list (any list may show it).
    auto charger = cache(s, {"invalidate", "--charger", a}, config);
    INFO(charger.err);
    REQUIRE(charger.exit_code == 0);
    REQUIRE(std::regex_search(charger.out, std::regex(R"(charger_list\s+chargers:list:\*\s+2\s+2)")));
    REQUIRE(charger.out.find(fmt::format("removed 4 keys of charger {}", a)) != std::string::npos);
    Keys expected = minus(minus(all, as_set(charger_a)), as_set(lists));
    REQUIRE(keys_matching(s) == expected);

    auto user = cache(s, {"-o", "json", "invalidate", "--user", u}, config);
    REQUIRE(user.exit_code == 0);
    auto rows = json_of(user);
    REQUIRE(rows.size() == 3);  // user_profile, user_stats, user_feed
    REQUIRE(keys_matching(s) == minus(expected, as_set(user_u)));

    auto bad = cache(s, {"invalidate", "--user", "42"});
    REQUIRE(bad.exit_code == 64);
    REQUIRE(bad.err.rfind("spotctl: error: invalid user id '42': expected a UUID\n", 0) == 0);
}

TEST_CASE("cache fix-ttl gives the keys of a namespace that have none its default TTL", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    auto without = numbered("user:{}:profile", 0, 30);
    auto with = numbered("user:{}:profile", 100, 110);
    set_keys(s, without);
    set_keys(s, with, 50);
    set_keys(s, {"user:1:stats", "session:abc"});

    auto dry = cache(s, {"fix-ttl", "user_profile", "--dry-run"});
    REQUIRE(dry.exit_code == 0);
    REQUIRE(dry.out == "30 of 40 keys of namespace user_profile (user:{id}:profile) have no TTL and would get 600s; nothing was changed\n");
    REQUIRE(cli(s, "ttl user:0:profile") == "-1");

    auto fix = cache(s, {"fix-ttl", "user_profile"});
    REQUIRE(fix.exit_code == 0);
    REQUIRE(fix.out.rfind("gave 30 of 40 keys of namespace user_profile (user:{id}:profile) the TTL 600s in ", 0) == 0);
    for (const auto& k : without) {
        int ttl = std::stoi(cli(s, "ttl " + k));
        REQUIRE((ttl > 50 && ttl <= 600));
    }
    REQUIRE(std::stoi(cli(s, "ttl user:100:profile")) <= 50);  // a TTL of its own is kept
    REQUIRE(cli(s, "ttl user:1:stats") == "-1");              // another namespace

    auto none = cache(s, {"fix-ttl", "session"});
    REQUIRE(none.exit_code == 64);
    REQUIRE(none.err.rfind("spotctl: error: namespace session has no default TTL\n", 0) == 0);
    REQUIRE(cache(s, {"fix-ttl", "session", "--ttl", "1d"}).exit_code == 0);
    int ttl = std::stoi(cli(s, "ttl session:abc"));
    REQUIRE((ttl > 86000 && ttl <= 86400));
}

TEST_CASE("cache stats counts keys, keys without a TTL and memory per namespace, and unknown keys", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    set_keys(s, numbered("charger:c{}", 0, 25), 300);
    set_keys(s, numbered("charger:c{}:level", 0, 5));
    set_keys(s, numbered("legacy:{}", 0, 7));
    auto r = cache(s, {"-o", "json", "stats"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, nlohmann::json> rows;
    for (const auto& row : json_of(r)) rows[row["namespace"].get<std::string>()] = row;
    REQUIRE(rows.at("charger_detail")["keys"] == 25);
    REQUIRE(rows.at("charger_detail")["without_ttl"] == 0);
    REQUIRE(rows.at("charger_detail")["memory_sampled"] == 25);
    REQUIRE(rows.at("charger_detail")["memory_bytes"].get<long long>() > 25 * 10);
    REQUIRE(rows.at("verification_level")["keys"] == 5);
    REQUIRE(rows.at("verification_level")["without_ttl"] == 5);
    REQUIRE(rows.at("user_profile")["keys"] == 0);
    REQUIRE(rows.at("(unknown)")["keys"] == 7);

    auto table = cache(s, {"stats"});
    REQUIRE(table.exit_code == 0);
    REQUIRE(table.out.find("\n37 keys (") != std::string::npos);
}

TEST_CASE("the configuration file extends and overrides the key registry, and a bad entry is exit 78", "[cache][config]") {
    TempDir dir;
    auto good = config_file(dir, "[cache.namespaces.carts]\npattern = \"cart:{id}\"\nentity = \"user\"\nttl = \"2h\"\n\n"
                                 "[cache.namespaces.charger_list]\nttl = 30\n");
    auto r = run_spotctl({"--config", good, "-o", "json", "cache", "namespaces"});
    REQUIRE(r.exit_code == 0);
    std::map<std::string, nlohmann::json> rows;
    for (const auto& row : json_of(r)) rows[row["namespace"].get<std::string>()] = row;
    REQUIRE(rows.at("carts")["pattern"] == "cart:{id}");
    REQUIRE(rows.at("carts")["default_ttl_s"] == 7200);
    REQUIRE(rows.at("carts")["entity"] == "user");
    REQUIRE(rows.at("carts")["source"] == good + ":1");
    REQUIRE(rows.at("charger_list")["default_ttl_s"] == 30);
    REQUIRE(rows.at("charger_list")["pattern"] == "chargers:list:{hash}");
    REQUIRE(rows.at("user_profile")["source"] == "built in");

    struct Bad {
        std::string toml, error;
    };
    for (const auto& bad : std::vector<Bad>{
             {"[cache.namespaces.x]\nttl = 5\n", ":1: [cache.namespaces.x]: a new namespace needs a pattern"},
             {"[cache.namespaces.x]\npattern = \"x:{id\"\n", ":1: invalid key pattern 'x:{id' for cache namespace 'x': unterminated '{'"},
             {"[cache.namespaces.x]\npattern = \"x:{id}\"\nttl = \"soon\"\n", ":1: [cache.namespaces.x]: invalid ttl 'soon'"},
             {"[cache.namespaces.x]\npattern = \"x:{id}\"\nowner = \"user\"\n", ":1: [cache.namespaces.x]: unknown key 'owner'"},
             {"[cache.namespaces.x]\npattern = \"x:{id}\"\nentity = \"shop\"\n", ":1: [cache.namespaces.x]: invalid entity 'shop'"},
         }) {
        auto path = dir.write("bad.toml", bad.toml).string();
        auto b = run_spotctl({"--config", path, "cache", "namespaces"});
        INFO(bad.toml);
        REQUIRE(b.exit_code == 78);
        REQUIRE(b.err.rfind("spotctl: error: " + path + bad.error, 0) == 0);
    }
}

TEST_CASE("Redis down or a wrong password is exit 69 with the server named", "[cache]") {
    TempDir dir;
    auto down = run_spotctl({"--redis-url", "unix://" + (dir / "none.sock").string(), "cache", "stats"});
    REQUIRE(down.exit_code == 69);
    REQUIRE(down.err.rfind(fmt::format("spotctl: error: Redis at unix://{}?db=0 failed while connecting: ", (dir / "none.sock").string()), 0) == 0);
    REQUIRE(down.err.find("spotctl: hint: check --redis-url") != std::string::npos);

    PrivateRedis redis({.password = "secret-pw"});
    auto wrong = run_spotctl({"--redis-url", "unix://" + redis.socket() + "?password=wrong-pw", "cache", "stats"});
    REQUIRE(wrong.exit_code == 69);
    REQUIRE(wrong.err.rfind(fmt::format("spotctl: error: cannot authenticate to Redis at unix://:****@{}?db=0: WRONGPASS", redis.socket()), 0) == 0);
    REQUIRE(wrong.err.find("wrong-pw") == std::string::npos);
    auto none = run_spotctl({"--redis-url", "unix://" + redis.socket(), "cache", "purge", "user_stats", "--no-lock"});
    REQUIRE(none.exit_code == 69);
    REQUIRE(none.err.rfind(fmt::format("spotctl: error: Redis at unix://{}?db=0 refused CLUSTER NODES: NOAUTH", redis.socket()), 0) == 0);
    auto right = run_spotctl({"--redis-url", "unix://" + redis.socket() + "?password=secret-pw", "cache", "stats"});
    REQUIRE(right.exit_code == 0);
}

TEST_CASE("one cache purge at a time: a second exits 75, and without PostgreSQL it needs --no-lock", "[cache][lock]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    TempDatabase db;
    set_keys(s, numbered("user:{}:stats", 0, 100));
    auto lock = JobLock::acquire(pg::Settings{db.url(), "spotctl tests"}, "cache-purge", Millis(0));
    auto second = run_spotctl({"--database-url", db.url(), "--redis-url", s.url, "cache", "purge", "user_stats"});
    REQUIRE(second.exit_code == 75);
    REQUIRE(second.err.rfind("spotctl: error: another 'cache-purge' run holds the lock: 'spotctl cache-purge lock (", 0) == 0);
    REQUIRE(keys_matching(s).size() == 100);

    auto no_db = run_spotctl({"--database-url", pg_conninfo(db.name() + "_missing"), "--redis-url", s.url, "cache", "purge", "user_stats"});
    REQUIRE(no_db.exit_code == 69);
    REQUIRE(no_db.err.find("spotctl: hint: the single-run lock lives in PostgreSQL (--database-url); --no-lock purges without it") !=
            std::string::npos);
    REQUIRE(keys_matching(s).size() == 100);
}

// ---- Redis Cluster --------------------------------------------------------------------

TEST_CASE("SIGTERM stops a purge cleanly, prints the cursor and exits 143", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    set_keys(s, numbered("user:{}:stats", 0, 20000));
    Background purge({"-v", "--redis-url", s.url, "cache", "purge", "user_stats", "--no-lock", "--rate", "2000"});
    // Its handler is installed once it says how to stop it; the signal strikes once keys are going.
    REQUIRE(purge.wait_for_stderr("Ctrl-C stops cleanly"));
    bool removing = false;
    for (int i = 0; i < 400 && !removing; ++i) {
        removing = std::stoul(cli(s, "dbsize")) < 20000;
        if (!removing) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    purge.signal(SIGTERM);
    auto r = purge.wait();
    INFO(r.out << r.err);
    REQUIRE(removing);
    REQUIRE(r.exit_code == 143);  // exited by itself (a process killed by the signal gives -1 here)
    REQUIRE(r.out.find("stopped by SIGTERM; resume with --cursor ") != std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex(R"(^removed (\d+) keys)")));
    auto left = std::stoul(cli(s, "dbsize"));
    REQUIRE(left > 0);  // stopped part-way, and reported what it removed
    REQUIRE(std::stoul(m[1].str()) + left == 20000);
    auto rest = cache(s, {"purge", "user_stats", "--no-lock", "--cursor", cursor_in(r.out)});
    REQUIRE(rest.exit_code == 0);
    REQUIRE(keys_matching(s).empty());
}

TEST_CASE("purge --rate limits the keys removed per second", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    const int keys = 3000, rate = 1000;
    set_keys(s, numbered("user:{}:stats", 0, keys));
    auto started = std::chrono::steady_clock::now();
    auto r = cache(s, {"-o", "json", "purge", "user_stats", "--no-lock", "--rate", std::to_string(rate)});
    double took = seconds_since(started);
    auto report = json_of(r);
    REQUIRE(report["removed"] == keys);
    // Loose on purpose: a loaded machine only makes it slower. Unpaced, 3,000 keys go in milliseconds.
    REQUIRE(took >= keys / static_cast<double>(rate) * 0.8);
    REQUIRE(report["duration_ms"].get<double>() >= keys * 1000.0 / rate * 0.8);
    REQUIRE(keys_matching(s).empty());
}

TEST_CASE("fix-ttl --rate, --max-runtime and --cursor pace, stop and resume it", "[cache]") {
    PrivateRedis redis;
    const Server s = server_of(redis);
    const int keys = 4000;
    set_keys(s, numbered("user:{}:profile", 0, keys));
    // 1,000 keys a second cannot fix 4,000 in one.
    auto first = cache(s, {"fix-ttl", "user_profile", "--rate", "1000", "--max-runtime", "1s"});
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(first.out.find("stopped at the --max-runtime limit of 1.000s; resume with --cursor ") != std::string::npos);
    long long left = without_ttl(s, "user:*:profile");
    REQUIRE(left > 0);
    REQUIRE(left < keys);
    std::smatch m;
    REQUIRE(std::regex_search(first.out, m, std::regex(R"(^gave (\d+) of \d+ keys)")));
    REQUIRE(std::stoll(m[1].str()) == keys - left);

    auto bad = cache(s, {"fix-ttl", "user_profile", "--cursor", "abc"});
    REQUIRE(bad.exit_code == 64);

    const int rate = 2000;
    auto started = std::chrono::steady_clock::now();
    auto rest = cache(s, {"fix-ttl", "user_profile", "--rate", std::to_string(rate), "--cursor", cursor_in(first.out)});
    double took = seconds_since(started);
    INFO(rest.out << rest.err);
    REQUIRE(rest.exit_code == 0);
    REQUIRE(rest.out.find("resume with") == std::string::npos);
    REQUIRE(without_ttl(s, "user:*:profile") == 0);
    REQUIRE(took >= static_cast<double>(left) / rate * 0.8);  // paced, loosely
}

TEST_CASE("on a Redis Cluster, purge scans every master and removes exactly the namespace's keys", "[cache][cluster]") {
    Server s = cluster();
    TempDir dir;
    std::string p = unique_prefix();
    auto config = config_file(dir, fmt::format("[cache.namespaces.{0}_item]\npattern = \"{0}:item:{{id}}\"\nttl = 60\n", p));
    auto items = numbered(p + ":item:{}", 0, 600);
    auto others = numbered(p + ":item:{}:extra", 0, 100);
    set_keys(s, items);
    set_keys(s, others);
    for (const auto& m : s.masters_cli) REQUIRE(!keys_on(m, p + ":item:*").empty());  // spread over all three
    Keys before = keys_matching(s, p + ":*");
    REQUIRE(before.size() == 700);

    auto dry = cache(s, {"-o", "json", "purge", p + "_item", "--dry-run"}, config);
    INFO(dry.err);
    REQUIRE(dry.exit_code == 0);
    REQUIRE(json_of(dry)["found"] == 600);
    REQUIRE(json_of(dry)["nodes"] == 3);
    REQUIRE(keys_matching(s, p + ":*") == before);

    auto stats = cache(s, {"-o", "json", "stats"}, config);
    REQUIRE(stats.exit_code == 0);
    int item_rows = 0;
    for (const auto& row : json_of(stats))
        if (row["namespace"] == p + "_item") {
            REQUIRE(row["keys"] == 600);
            ++item_rows;
        }
    REQUIRE(item_rows == 1);  // the namespace's row is there, once

    auto purge = cache(s, {"purge", p + "_item", "--no-lock"}, config);
    INFO(purge.err);
    REQUIRE(purge.exit_code == 0);
    REQUIRE(purge.out.find("removed 600 keys (") != std::string::npos);
    REQUIRE(purge.out.find(" on 3 cluster masters in ") != std::string::npos);
    REQUIRE(keys_matching(s, p + ":*") == as_set(others));
}

TEST_CASE("on a Redis Cluster, a stopped purge resumes on every master from its cursor", "[cache][cluster]") {
    Server s = cluster();
    TempDir dir;
    std::string p = unique_prefix();
    auto config = config_file(dir, fmt::format("[cache.namespaces.{0}_item]\npattern = \"{0}:item:{{id}}\"\n", p));
    set_keys(s, numbered(p + ":item:{}", 0, 3000));
    auto first = cache(s, {"purge", p + "_item", "--no-lock", "--rate", "1000", "--max-runtime", "1s"}, config);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    std::string cursor = cursor_in(first.out);
    REQUIRE(std::regex_match(cursor, std::regex(R"([0-9a-f]{40}:(\d+|done),[0-9a-f]{40}:(\d+|done),[0-9a-f]{40}:(\d+|done))")));
    REQUIRE(!keys_matching(s, p + ":*").empty());

    auto wrong = cache(s, {"purge", p + "_item", "--no-lock", "--cursor", "12"}, config);
    REQUIRE(wrong.exit_code == 64);
    REQUIRE(wrong.err.rfind("spotctl: error: invalid --cursor '12': a Redis Cluster cursor is NODEID:CURSOR for each master\n", 0) == 0);

    auto rest = cache(s, {"purge", p + "_item", "--no-lock", "--cursor", cursor}, config);
    REQUIRE(rest.exit_code == 0);
    REQUIRE(keys_matching(s, p + ":*").empty());
}

TEST_CASE("on a Redis Cluster, invalidate and fix-ttl reach the master of each key", "[cache][cluster]") {
    Server s = cluster();
    TempDir dir;
    std::string p = unique_prefix();
    auto config = config_file(dir, fmt::format("[cache.namespaces.{0}_profile]\npattern = \"{0}:user:{{id}}:profile\"\nentity = \"user\"\nttl = 90\n"
                                               "[cache.namespaces.{0}_feed]\npattern = \"{0}:feed:{{id}}:{{page}}\"\nentity = \"user\"\n",
                                               p));
    std::vector<std::string> mine, others;
    for (int i = 0; i < 30; ++i) {
        // Thirty users, so their keys land on every master.
        auto& group = i == 7 ? mine : others;
        group.push_back(fmt::format("{}:user:{}:profile", p, uuid(i)));
        group.push_back(fmt::format("{}:feed:{}:1", p, uuid(i)));
        group.push_back(fmt::format("{}:feed:{}:2", p, uuid(i)));
    }
    set_keys(s, mine);
    set_keys(s, others);
    auto r = cache(s, {"invalidate", "--user", uuid(7)}, config);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.out.find(fmt::format("removed 3 keys of user {}", uuid(7))) != std::string::npos);
    REQUIRE(keys_matching(s, p + ":*") == as_set(others));

    auto fix = cache(s, {"-o", "json", "fix-ttl", p + "_profile"}, config);
    REQUIRE(fix.exit_code == 0);
    REQUIRE(json_of(fix)["without_ttl"] == 29);
    for (const auto& k : others)
        if (k.find(":profile") != std::string::npos) REQUIRE(std::stoi(cli(s, "ttl " + k)) > 0);
}

TEST_CASE("a cluster master marked as failing stops purge, stats and fix-ttl with exit 69 naming it", "[cache][cluster]") {
    PrivateRedisCluster redis_cluster;
    const auto& ports = redis_cluster.ports();
    Server s{redis_cluster.url(0), fmt::format("-c -h 127.0.0.1 -p {}", ports[0]), {}, true};
    for (int port : ports) s.masters_cli.push_back(fmt::format("-h 127.0.0.1 -p {}", port));
    set_keys(s, numbered("user:{}:stats", 0, 300));
    const Keys on_first = keys_on(s.masters_cli[0], "*"), on_second = keys_on(s.masters_cli[1], "*");
    REQUIRE(!on_first.empty());
    REQUIRE(!on_second.empty());
    redis_cluster.fail_master(2);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"purge", "user_stats", "--no-lock"}, {"stats"}, {"fix-ttl", "user_stats"}}) {
        auto r = cache(s, args);
        INFO(args[0] << ": " << r.err);
        REQUIRE(r.exit_code == 69);
        REQUIRE(std::regex_search(r.err, std::regex(fmt::format(R"(^spotctl: error: Redis Cluster master [0-9a-f]{{40}} at redis://127\.0\.0\.1:{}/0 is marked as failing; its keys cannot be reached\n)",
                                                                ports[2]))));
    }
    // It stopped before touching the masters it could reach.
    REQUIRE(keys_on(s.masters_cli[0], "*") == on_first);
    REQUIRE(keys_on(s.masters_cli[1], "*") == on_second);
}
