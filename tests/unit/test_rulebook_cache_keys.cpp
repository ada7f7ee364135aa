#include <catch2/catch.hpp>

#include "rulebook/cache_keys.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "support/temp_dir.hpp"

using namespace spotctl;
using namespace spotctl::rulebook;
using spotctl::test::TempDir;

namespace {
std::string error_of(const std::function<void()>& f, Exit expected) {
    try {
        f();
    } catch (const Error& e) {
        CHECK(e.code() == expected);
        return e.what();
    }
    FAIL("no error");
    return {};
}
}  // namespace

TEST_CASE("cache registry: the built-in namespaces follow the servers' cache strategy") {
    Registry r = Registry::builtin();
    CHECK(r.get("charger_detail").pattern() == "charger:{id}");
    CHECK(r.get("charger_detail").ttl() == std::chrono::seconds(300));
    CHECK(r.get("charger_list").ttl() == std::chrono::seconds(60));
    CHECK(r.get("user_profile").ttl() == std::chrono::seconds(600));
    CHECK(r.get("user_stats").ttl() == std::chrono::seconds(300));
    CHECK(r.get("verification_level").ttl() == std::chrono::seconds(180));
    CHECK(!r.get("session").ttl());
    CHECK(r.owned_by(Entity::charger).size() == 3);
    CHECK(r.owned_by(Entity::user).size() == 2);
    CHECK(r.owned_by(Entity::none).empty());
    CHECK(error_of([&] { r.get("carts"); }, Exit::usage) == "unknown cache namespace 'carts'");
}

TEST_CASE("cache registry: a placeholder matches one or more characters other than ':'") {
    Registry r = Registry::builtin();
    const Namespace& detail = r.get("charger_detail");
    CHECK(detail.glob() == "charger:*");
    CHECK(detail.matches("charger:42"));
    CHECK_FALSE(detail.matches("charger:"));
    CHECK_FALSE(detail.matches("charger:42:level"));
    CHECK_FALSE(detail.matches("chargers:42"));
    CHECK(r.classify("charger:42:level")->name() == "verification_level");
    CHECK(r.classify("user:7:profile")->name() == "user_profile");
    CHECK(r.classify("ratelimit:login:10.0.0.1")->name() == "rate_limit");
    CHECK(r.classify("user:7:feed") == nullptr);

    Namespace feed("feed", "feed:{id}-{page}", Entity::user, std::nullopt);
    CHECK(feed.matches("feed:ab-c-1"));  // the first placeholder gives back what the rest needs
    CHECK_FALSE(feed.matches("feed:ab"));
}

TEST_CASE("cache registry: an entity's keys are one exact key, a narrowed glob, or the whole namespace") {
    Registry r = Registry::builtin();
    auto exact = r.get("user_profile").keys_of("u-1");
    CHECK(exact.exact_key == "user:u-1:profile");
    auto list = r.get("charger_list").keys_of("c-1");
    CHECK(!list.exact_key);
    CHECK(list.glob == "chargers:list:*");
    Namespace feed("feed", "feed:{id}:{page}", Entity::user, std::nullopt);
    auto narrowed = feed.keys_of("a*b");
    CHECK(!narrowed.exact_key);
    CHECK(narrowed.glob == "feed:a\\*b:*");
}

TEST_CASE("cache registry: malformed patterns are configuration errors") {
    auto bad = [](const std::string& pattern) {
        return error_of([&] { Namespace("x", pattern, Entity::none, std::nullopt, "f.toml:3"); }, Exit::config);
    };
    CHECK(bad("") == "f.toml:3: invalid key pattern '' for cache namespace 'x': it is empty");
    CHECK(bad("a:{id") == "f.toml:3: invalid key pattern 'a:{id' for cache namespace 'x': unterminated '{'");
    CHECK(bad("a:}") == "f.toml:3: invalid key pattern 'a:}' for cache namespace 'x': '}' without '{'");
    CHECK(bad("a:{Id}") == "f.toml:3: invalid key pattern 'a:{Id}' for cache namespace 'x': placeholder '{Id}' must be lower-case letters, digits and '_'");
    CHECK(bad("a:{x}{y}") == "f.toml:3: invalid key pattern 'a:{x}{y}' for cache namespace 'x': two placeholders need literal text between them");
    CHECK(bad("a:*") == "f.toml:3: invalid key pattern 'a:*' for cache namespace 'x': glob characters (* ? [ ] \\) are not allowed");
}

TEST_CASE("cache registry: the configuration file adds namespaces and changes built-in ones") {
    TempDir dir;
    auto path = dir.write("c.toml", "[cache.namespaces.carts]\npattern = \"cart:{id}\"\nentity = \"user\"\nttl = \"2h\"\n\n"
                                    "[cache.namespaces.session]\nttl = 3600\n\n[cache.namespaces.charger_list]\nttl = 0\n");
    Registry r = Registry::from_config(Config::load(path.string()));
    CHECK(r.get("carts").ttl() == std::chrono::seconds(7200));
    CHECK(r.get("carts").entity() == Entity::user);
    CHECK(r.get("carts").source() == path.string() + ":1");
    CHECK(r.get("session").ttl() == std::chrono::seconds(3600));
    CHECK(r.get("session").pattern() == "session:{token_hash}");
    CHECK(!r.get("charger_list").ttl());
    CHECK(r.owned_by(Entity::user).size() == 3);
    CHECK(r.namespaces().back().name() == "carts");

    auto load = [&](const std::string& toml) {
        auto p = dir.write("bad.toml", toml).string();
        return error_of([&] { Registry::from_config(Config::load(p)); }, Exit::config).substr(p.size());
    };
    CHECK(load("[cache.namespaces.x]\nttl = 5\n") == ":1: [cache.namespaces.x]: a new namespace needs a pattern");
    CHECK(load("[cache.namespaces.x]\npattern = \"x:{id}\"\nttl = \"1.5s\"\n") ==
          ":1: [cache.namespaces.x]: ttl '1.5s' is not a whole number of seconds");
    CHECK(load("[cache.namespaces]\nx = \"x:{id}\"\n") == ":2: [cache.namespaces.x]: must be a table with pattern, ttl and entity");
    CHECK(load("[cache.namespaces.X]\npattern = \"x:{id}\"\n") ==
          ":1: [cache.namespaces.X]: a namespace name is lower-case letters, digits, '_' and '-'");
}

TEST_CASE("cache globs: validation, escaping and match-everything") {
    CHECK_NOTHROW(validate_glob("user:*:profile"));
    CHECK_NOTHROW(validate_glob("a[bc]?d\\*"));
    CHECK_NOTHROW(validate_glob("a[\\]]"));
    CHECK(error_of([] { validate_glob(""); }, Exit::usage) == "invalid pattern '': it is empty");
    CHECK(error_of([] { validate_glob("a[b"); }, Exit::usage) == "invalid pattern 'a[b': '[' without ']'");
    CHECK(error_of([] { validate_glob("a\\"); }, Exit::usage) == "invalid pattern 'a\\': it ends with a lone backslash");
    CHECK(error_of([] { validate_glob("a\nb"); }, Exit::usage) == "invalid pattern 'a\nb': it holds a control character");
    CHECK(glob_escape("a*b?[c]\\") == "a\\*b\\?\\[c\\]\\\\");
    for (const char* g : {"*", "**", "?*", "*?"}) CHECK(glob_matches_everything(g));
    for (const char* g : {"a*", "??*", "?", "[a]*", "\\*"}) CHECK_FALSE(glob_matches_everything(g));
}
