#include <catch2/catch.hpp>

#include "commands/cache/nodes.hpp"
#include "commands/cache/scanner.hpp"
#include "core/errors.hpp"

using namespace spotctl;
using namespace spotctl::cache;

TEST_CASE("cache cluster: hash slots as Redis Cluster computes them") {
    CHECK(key_slot("123456789") == 12739);  // CRC16/XMODEM check value 0x31C3
    CHECK(key_slot("foo") == 12182);
    CHECK(key_slot("{user1000}.following") == key_slot("{user1000}.followers"));
    CHECK(key_slot("{user1000}.following") == key_slot("user1000"));
    CHECK(key_slot("foo{}{bar}") == 8363);  // an empty tag: the whole key is hashed (CLUSTER KEYSLOT agrees)
    CHECK(key_slot("foo{{bar}}zap") == key_slot("{bar"));
}

TEST_CASE("cache cluster: masters and their slots from CLUSTER NODES") {
    const char* text =
        "07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected\n"
        "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922\n"
        "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003,host-3 master - 0 1426238318243 3 connected 10923-16383\n"
        "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca :30001@31001 myself,master - 0 0 1 connected 0-5460 [5461->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]\n"
        "6ec23923021cf3ffec47632106199cb7f496ce01 127.0.0.1:30005@31005 master,fail - 1426238316232 0 5 disconnected 7\n"
        "824fe116063bc5fcf9f4ffd895bc17aee7731ac3 127.0.0.1:30006@31006 master - 0 1426238316232 6 connected\n";
    auto masters = parse_cluster_nodes(text);
    REQUIRE(masters.size() == 4);  // the replica and the master without slots are left out
    CHECK(masters[0].host == "127.0.0.1");
    CHECK(masters[0].port == 30002);
    CHECK(masters[0].slots == std::vector<std::pair<int, int>>{{5461, 10922}});
    CHECK(masters[1].port == 30003);
    CHECK(masters[2].myself);
    CHECK(masters[2].host.empty());
    CHECK(masters[2].slots == std::vector<std::pair<int, int>>{{0, 5460}});
    CHECK(masters[3].failed);
    CHECK(masters[3].slots == std::vector<std::pair<int, int>>{{7, 7}});
    CHECK_THROWS_AS(parse_cluster_nodes("abc 127.0.0.1:1@2 master\n"), Error);
}

TEST_CASE("cache scan: resume cursors round-trip and are checked against the masters") {
    CHECK(format_cursor({{"", "1234"}}, false) == "1234");
    CHECK(parse_cursor("1234", {""}, false) == std::vector<std::string>{"1234"});
    CHECK_THROWS_AS(parse_cursor("-1", {""}, false), Error);
    CHECK_THROWS_AS(parse_cursor("", {""}, false), Error);
    std::string token = format_cursor({{"aa", "17"}, {"bb", "done"}, {"cc", "0"}}, true);
    CHECK(token == "aa:17,bb:done,cc:0");
    CHECK(parse_cursor(token, {"cc", "aa", "bb"}, true) == std::vector<std::string>{"0", "17", "done"});
    auto message = [](std::string_view t, std::vector<std::string> ids) {
        try {
            parse_cursor(t, ids, true);
        } catch (const Error& e) {
            CHECK(e.code() == Exit::usage);
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(message("aa:17,bb:done", {"aa", "bb", "cc"}) ==
          "invalid --cursor 'aa:17,bb:done': it does not name every master of the cluster (masters changed since it was printed)");
    CHECK(message("aa:17,zz:1,cc:0", {"aa", "bb", "cc"}) ==
          "invalid --cursor 'aa:17,zz:1,cc:0': the cluster has no master zz now (masters changed since the cursor was printed)");
    CHECK(message("aa:x", {"aa"}) == "invalid --cursor 'aa:x': 'x' is not a SCAN cursor");
    CHECK(message("aa:1,aa:2", {"aa", "bb"}) == "invalid --cursor 'aa:1,aa:2': master aa appears twice");
}
