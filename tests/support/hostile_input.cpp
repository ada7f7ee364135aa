#include "support/hostile_input.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

#include "support/interrupt.hpp"

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
        fmt::format("\\'; SELECT pg_sleep({}); --", sleep_payload_duration.count()),
        "E'\\x41'",
        "%",
        "_",
        "*",
        "?",
        "[a-z]*",
        "user:*",
        "{}",
        "{0}%s%n",
        "$(touch " + shell_payload_file() + ")",
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

std::string shell_payload_file() {
    // Of this process alone: tests running in parallel never see each other's file.
    return fmt::format("/tmp/spotctl-hostile-{}", ::getpid());
}

void require_payloads_inert(const std::string& value, std::chrono::steady_clock::time_point started) {
    REQUIRE_FALSE(std::filesystem::exists(shell_payload_file()));
    if (value.find("pg_sleep(") != std::string::npos)
        REQUIRE(std::chrono::steady_clock::now() - started < sleep_payload_duration);
}

TableDigests::TableDigests(TempDatabase& db) : db_(db), digests_(take(db)) {
    REQUIRE(digests_.size() >= 6);  // the platform's tables, not an empty schema
}

std::map<std::string, std::string> TableDigests::take(TempDatabase& db) {
    std::map<std::string, std::string> digests;
    auto tables = db.conn().exec("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    for (const auto& row : tables) {
        auto table = row.str(0);
        digests[table] = contents(db, {table});
    }
    return digests;
}

void TableDigests::require_unchanged(const std::set<std::string>& may_change) {
    auto now = take(db_);
    for (const auto& [table, digest] : digests_) {
        if (may_change.count(table)) continue;
        INFO("table " << table);
        REQUIRE(now.count(table) == 1);
        REQUIRE(now[table] == digest);
    }
}

}  // namespace spotctl::test
