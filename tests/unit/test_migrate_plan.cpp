#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "commands/migrate/plan.hpp"

using namespace spotctl::migrate;

namespace {

MigrationFile file(long long version, std::string version_text, std::string name, std::string checksum) {
    MigrationFile f;
    f.version = version;
    f.version_text = std::move(version_text);
    f.name = std::move(name);
    f.checksum = std::move(checksum);
    return f;
}

AppliedMigration applied(long long version, std::string name, std::string checksum, bool dirty = false) {
    AppliedMigration a;
    a.version = version;
    a.name = std::move(name);
    a.checksum = std::move(checksum);
    a.dirty = dirty;
    return a;
}

}  // namespace

TEST_CASE("migrate plan: every state, in version order") {
    const std::vector<MigrationFile> files{
        file(5, "0005", "pending_one", "eee"),
        file(1, "0001", "init", "aaa"),
        file(2, "0002", "edited", "bbb-new"),
        file(3, "0003", "concurrent_index", "ccc"),
    };
    const std::vector<AppliedMigration> rows{
        applied(4, "deleted_file", "ddd"),
        applied(1, "init", "aaa"),
        applied(2, "edited", "bbb-old"),
        applied(3, "concurrent_index", "ccc", true),
    };
    const auto entries = compare(files, rows);
    REQUIRE(entries.size() == 5);

    CHECK(entries[0].version == 1);
    CHECK(entries[0].label == "0001_init");
    CHECK(entries[0].state == State::applied);
    CHECK(entries[0].file == &files[1]);
    CHECK(entries[0].applied == &rows[1]);

    CHECK(entries[1].version == 2);
    CHECK(entries[1].state == State::changed);
    CHECK(entries[1].file == &files[2]);
    CHECK(entries[1].applied == &rows[2]);

    CHECK(entries[2].version == 3);
    CHECK(entries[2].state == State::dirty);
    CHECK(entries[2].applied == &rows[3]);

    CHECK(entries[3].version == 4);
    CHECK(entries[3].label == "4_deleted_file");
    CHECK(entries[3].state == State::missing);
    CHECK(entries[3].file == nullptr);
    CHECK(entries[3].applied == &rows[0]);

    CHECK(entries[4].version == 5);
    CHECK(entries[4].label == "0005_pending_one");
    CHECK(entries[4].state == State::pending);
    CHECK(entries[4].file == &files[0]);
    CHECK(entries[4].applied == nullptr);

    CHECK(needs_attention(entries));
}

TEST_CASE("migrate plan: dirty wins over a changed checksum") {
    const std::vector<MigrationFile> files{file(1, "1", "a", "new")};
    const std::vector<AppliedMigration> rows{applied(1, "a", "old", true)};
    const auto entries = compare(files, rows);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].state == State::dirty);
}

TEST_CASE("migrate plan: nothing needs attention when everything is applied") {
    const std::vector<MigrationFile> files{file(1, "0001", "a", "x"), file(2, "0002", "b", "y")};
    const std::vector<AppliedMigration> rows{applied(1, "a", "x"), applied(2, "b", "y")};
    const auto entries = compare(files, rows);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].state == State::applied);
    CHECK(entries[1].state == State::applied);
    CHECK_FALSE(needs_attention(entries));
}

TEST_CASE("migrate plan: each state other than applied needs attention") {
    const std::vector<MigrationFile> one{file(1, "0001", "a", "x")};
    const std::vector<AppliedMigration> none;

    CHECK(needs_attention(compare(one, none)));                                         // pending
    CHECK(needs_attention(compare(one, {applied(1, "a", "changed")})));                 // changed
    CHECK(needs_attention(compare({}, {applied(1, "a", "x")})));                        // missing
    CHECK(needs_attention(compare(one, {applied(1, "a", "x", true)})));                 // dirty
    CHECK_FALSE(needs_attention(compare(one, {applied(1, "a", "x")})));                 // applied
}

TEST_CASE("migrate plan: empty on both sides") {
    const auto entries = compare({}, {});
    CHECK(entries.empty());
    CHECK_FALSE(needs_attention(entries));
}

TEST_CASE("migrate plan: state names") {
    CHECK(state_name(State::applied) == "applied");
    CHECK(state_name(State::pending) == "pending");
    CHECK(state_name(State::changed) == "changed");
    CHECK(state_name(State::missing) == "missing");
    CHECK(state_name(State::dirty) == "dirty");
}
