#include "support/hostile_input.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace spotctl::test {

std::vector<std::string> hostile_strings(bool binary) {
    std::vector<std::string> v = {
        "'",
        "''",
        "\"",
        "'; DROP TABLE users; --",
        "x' OR '1'='1",
        "Robert'); DROP TABLE chargers;--",
        "1; TRUNCATE audit_log",
        "$1",
        "$$; DROP TABLE users; $$",
        "\\",
        "\\'; SELECT pg_sleep(10); --",
        "E'\\x41'",
        "%",
        "_",
        "*",
        "?",
        "[a-z]*",
        "user:*",
        "{}",
        "{0}%s%n",
        "$(touch /tmp/spotctl-hostile)",
        "`id`",
        "a\tb\r\nc",
        "=cmd|' /C calc'!A0",
        "\xE2\x80\x8F\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xF0\x9F\x94\x8C",  // RTL mark, Arabic, emoji
    };
    if (binary) {
        v.push_back(std::string(1 << 20, 'A'));
        v.push_back(std::string("nul\0byte", 8));
        v.push_back("invalid \xC3\x28 utf-8");
    } else {
        v.push_back(std::string(100000, 'A'));  // Linux refuses a single argument over 128 KiB
    }
    return v;
}

std::string printable(const std::string& value) {
    std::string out;
    for (unsigned char c : value) {
        if (out.size() >= 80) return out + "...";
        if (c < 0x20 || c >= 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
    return out;
}

void require_safe_outcome(const RunResult& r, const std::set<int>& allowed) {
    INFO("exit " << r.exit_code << ": " << printable(r.err));
    REQUIRE(allowed.count(r.exit_code) == 1);
    if (r.exit_code != 0) {
        // One error line, perhaps followed by hint lines: a value's own line breaks never leak in.
        REQUIRE(r.err.rfind("spotctl: error: ", 0) == 0);
        REQUIRE(r.err.back() == '\n');
        for (auto nl = r.err.find('\n'); nl + 1 < r.err.size(); nl = r.err.find('\n', nl + 1))
            REQUIRE(r.err.compare(nl + 1, 15, "spotctl: hint: ") == 0);
    }
}

void require_schema_intact(TempDatabase& db) {
    REQUIRE(db.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN "
                      "('users', 'chargers', 'audit_log', 'coin_transactions', 'payments', 'moderation_items')") == "6");
    REQUIRE(db.scalar("SELECT count(*) FROM audit_log") == db.scalar("SELECT count(*) FROM audit_log"));
}

}  // namespace spotctl::test
