#include <catch2/catch.hpp>

#include <string>

#include "core/redact.hpp"

using spotctl::redact_url;
using spotctl::register_secret;
using spotctl::scrub_secrets;

// The secret list is process-wide: every test registers its own, unlikely strings.

TEST_CASE("redact: hides the password of a postgresql URL") {
    CHECK(redact_url("postgresql://alice:s3cret@db.example.com:5432/spot") ==
          "postgresql://alice:****@db.example.com:5432/spot");
    CHECK(redact_url("postgres://app:hunter2@10.0.0.7/spot?sslmode=require") ==
          "postgres://app:****@10.0.0.7/spot?sslmode=require");
    CHECK(redact_url("postgresql://:onlypass@db/spot") == "postgresql://:****@db/spot");
}

TEST_CASE("redact: hides a percent-encoded password entirely") {
    const auto out = redact_url("postgresql://alice:p%40ss%3Aw%2Frd@db.example.com/spot");
    CHECK(out == "postgresql://alice:****@db.example.com/spot");
    CHECK(out.find("p%40ss") == std::string::npos);
    CHECK(out.find("rd@") == std::string::npos);
}

TEST_CASE("redact: leaves a postgresql URL without a password unchanged") {
    for (const char* url : {"postgresql://alice@db.example.com:5432/spot", "postgresql://db.example.com:5432/spot",
                            "postgresql:///spot?host=/var/run/postgresql", "postgresql://", "",
                            "host=db dbname=spot user=alice sslmode=require"}) {
        CAPTURE(url);
        CHECK(redact_url(url) == url);
    }
}

TEST_CASE("redact: hides password= in a libpq key=value string") {
    CHECK(redact_url("host=db dbname=spot user=alice password=secret sslmode=require") ==
          "host=db dbname=spot user=alice password=**** sslmode=require");
    CHECK(redact_url("password=secret host=db") == "password=**** host=db");
    CHECK(redact_url("host=db password = secret") == "host=db password = ****");
    CHECK(redact_url("host=db PASSWORD=secret") == "host=db PASSWORD=****");
}

// Found by fuzz_url_config: libpq takes '&' (and '#', '?') as part of an unquoted value.
TEST_CASE("redact: a key=value password holding & or # is hidden whole") {
    CHECK(redact_url("host=db password=ab&cd#ef?gh dbname=spot") == "host=db password=**** dbname=spot");
    CHECK(redact_url("password=&secret") == "password=****");
}

TEST_CASE("redact: hides a quoted password= value, spaces and escaped quotes included") {
    CHECK(redact_url("host=db password='quoted secret' dbname=spot") == "host=db password=**** dbname=spot");
    CHECK(redact_url(R"(host=db password='it\'s secret' dbname=spot)") == "host=db password=**** dbname=spot");
    CHECK(redact_url("password='' host=db") == "password=**** host=db");
}

TEST_CASE("redact: hides password= in a URL query") {
    CHECK(redact_url("postgresql://db/spot?sslmode=require&password=secret") ==
          "postgresql://db/spot?sslmode=require&password=****");
    CHECK(redact_url("postgresql://db/spot?password=secret&sslmode=require") ==
          "postgresql://db/spot?password=****&sslmode=require");
}

TEST_CASE("redact: hides the password of redis:// and unix:// URLs") {
    CHECK(redact_url("redis://default:hunter22@cache.internal:6379/2") == "redis://default:****@cache.internal:6379/2");
    CHECK(redact_url("redis://:hunter22@cache.internal:6379") == "redis://:****@cache.internal:6379");
    CHECK(redact_url("unix:///run/redis/redis.sock?db=3&password=hunter22") ==
          "unix:///run/redis/redis.sock?db=3&password=****");
    CHECK(redact_url("unix://:hunter22@/run/redis/redis.sock?db=3") == "unix://:****@/run/redis/redis.sock?db=3");
}

TEST_CASE("redact: leaves redis:// and unix:// URLs without a password unchanged") {
    for (const char* url : {"redis://cache.internal:6379/2", "redis://[::1]:6380", "unix:///run/redis/redis.sock?db=3"}) {
        CAPTURE(url);
        CHECK(redact_url(url) == url);
    }
}

TEST_CASE("redact: a registered secret is scrubbed anywhere in a message") {
    register_secret("Zq7-registered-secret");
    CHECK(scrub_secrets("Zq7-registered-secret") == "****");
    CHECK(scrub_secrets("auth failed: Zq7-registered-secret") == "auth failed: ****");
    CHECK(scrub_secrets("Zq7-registered-secret was rejected") == "**** was rejected");
    CHECK(scrub_secrets("x=Zq7-registered-secret;y=Zq7-registered-secret.") == "x=****;y=****.");
    CHECK(scrub_secrets("nothing to hide here") == "nothing to hide here");
}

TEST_CASE("redact: registering the same secret twice is harmless") {
    register_secret("Wk4-twice-secret");
    register_secret("Wk4-twice-secret");
    CHECK(scrub_secrets("[Wk4-twice-secret]") == "[****]");
}

TEST_CASE("redact: secrets shorter than three bytes are not registered") {
    register_secret("q9");
    CHECK(scrub_secrets("q9 q9x") == "q9 q9x");
}

TEST_CASE("redact: scrub_secrets also redacts URL passwords it was never told about") {
    CHECK(scrub_secrets("cannot connect to postgresql://bob:Unregistered1@db/spot: timeout") ==
          "cannot connect to postgresql://bob:****@db/spot: timeout");
    CHECK(scrub_secrets("conninfo host=db password=Unregistered2 dbname=spot") ==
          "conninfo host=db password=**** dbname=spot");
}

TEST_CASE("redact: sslpassword in a key=value string is hidden") {
    CHECK(spotctl::redact_url("host=db sslpassword=keypass dbname=spot") == "host=db sslpassword=**** dbname=spot");
}

// Found by the hostile-input tests: std::regex recursed once per character and crashed spotctl
// when an error message quoted a 100 kB argument.
TEST_CASE("redact: megabyte-long text is scanned without a crash, passwords in it still hidden") {
    const std::string filler(1 << 20, 'A');
    CHECK(scrub_secrets(filler) == filler);
    CHECK(redact_url(filler + " postgresql://u:pw@h/db " + filler) == filler + " postgresql://u:****@h/db " + filler);
    CHECK(redact_url("password=" + filler + " host=db") == "password=**** host=db");
    CHECK(redact_url("postgresql://u:" + filler + "@h") == "postgresql://u:****@h");
    const std::string no_at = "postgresql://u:" + filler;
    CHECK(redact_url(no_at) == no_at);
}
