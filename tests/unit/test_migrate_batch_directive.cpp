// The `-- spotctl:batch` header of a batched migration, and how the batch width follows the
// time each batch took.
#include <catch2/catch.hpp>

#include "commands/migrate/batch_directive.hpp"
#include "core/errors.hpp"

using namespace spotctl;
using namespace spotctl::migrate;

namespace {

std::string error_of(const std::string& sql) {
    try {
        parse_batch_directive(sql, "m.up.sql");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::data);
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a batch directive is read from the header with its settings and the one statement", "[migrate][backfill]") {
    auto d = parse_batch_directive("-- fills email_lower\n-- spotctl:batch table=app.users key=id target=1s size=500 min=5 max=900\n"
                                   "UPDATE app.users SET email_lower = lower(email) WHERE id >= $1 AND id < $2;\n",
                                   "m.up.sql");
    REQUIRE(d);
    CHECK(d->table == "app.users");
    CHECK(d->key == "id");
    CHECK(d->target == Millis(1000));
    CHECK(d->size == 500);
    CHECK(d->min_size == 5);
    CHECK(d->max_size == 900);
    CHECK(d->statement == "UPDATE app.users SET email_lower = lower(email) WHERE id >= $1 AND id < $2");
    // Defaults, and a first size outside the bounds pulled within them.
    auto plain = parse_batch_directive("-- spotctl:batch table=t key=id size=5\nDELETE FROM t WHERE id >= $1 AND id < $2 AND gone;\n", "m");
    REQUIRE(plain);
    CHECK(plain->target == Millis(200));
    CHECK(plain->size == 10);
    // Only the header counts: the marker after the first statement is a comment like any other.
    CHECK_FALSE(parse_batch_directive("UPDATE t SET v = 1;\n-- spotctl:batch table=t key=id\n", "m"));
}

TEST_CASE("a malformed batch directive or body is an error naming the file and line", "[migrate][backfill]") {
    CHECK(error_of("-- spotctl:batch key=id\nUPDATE t SET v = 1 WHERE id >= $1 AND id < $2;") ==
          "m.up.sql:1: the directive needs table= and key=");
    CHECK(error_of("--\n-- spotctl:batch table=t key=id size=0\nUPDATE t SET v = 1 WHERE id >= $1 AND id < $2;") ==
          "m.up.sql:2: size=0: not a positive whole number");
    CHECK(error_of("-- spotctl:batch table=T;DROP key=id\nUPDATE t SET v = 1;") == "m.up.sql:1: table=T;DROP: not a lowercase table name");
    CHECK(error_of("-- spotctl:batch table=t key=id pace=1\nUPDATE t SET v = 1;") == "m.up.sql:1: unknown setting 'pace'");
    CHECK(error_of("-- spotctl:batch table=t key=id min=9 max=3\nUPDATE t SET v = 1;") == "m.up.sql:1: min=9 is above max=3");
    CHECK(error_of("-- spotctl:batch table=t key=id\n\nUPDATE t SET v = 1;") ==
          "m.up.sql:3: a batched migration is one UPDATE or DELETE limited to the key range $1 (inclusive) to $2 (exclusive)");
    CHECK(error_of("-- spotctl:batch table=t key=id\nUPDATE t SET v = 1 WHERE id >= $1 AND id < $2;\nVACUUM t;").find(
              "m.up.sql:1: a batched migration is one UPDATE or DELETE") == 0);
}

TEST_CASE("the batch width grows when batches are fast and shrinks when slow, within its bounds", "[migrate][backfill]") {
    BatchDirective d;
    d.target = Millis(200);
    d.min_size = 10;
    d.max_size = 1000;
    CHECK(next_batch_size(d, 100, Millis(200)) == 100);  // on target
    CHECK(next_batch_size(d, 100, Millis(100)) == 200);  // twice as fast: twice as wide
    CHECK(next_batch_size(d, 100, Millis(1)) == 200);    // at most doubled
    CHECK(next_batch_size(d, 100, Millis(0)) == 200);
    CHECK(next_batch_size(d, 100, Millis(400)) == 50);   // twice as slow: half as wide
    CHECK(next_batch_size(d, 100, Millis(10'000)) == 50);  // at most halved
    CHECK(next_batch_size(d, 800, Millis(10)) == 1000);  // the upper bound
    CHECK(next_batch_size(d, 12, Millis(10'000)) == 10);  // the lower bound
}
