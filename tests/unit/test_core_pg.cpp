#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/pg.hpp"

using spotctl::Exit;
using spotctl::pg::conninfo;
using spotctl::pg::describe;
using spotctl::pg::exit_for_sqlstate;
using spotctl::pg::Settings;

namespace {

using Fields = std::map<std::string, std::string>;

// Parses what conninfo() produces: key=value pairs, values optionally '...' with \ escapes.
Fields parse(const std::string& info) {
    Fields out;
    std::size_t i = 0;
    while (i < info.size()) {
        while (i < info.size() && info[i] == ' ') ++i;
        if (i == info.size()) break;
        auto eq = info.find('=', i);
        REQUIRE(eq != std::string::npos);
        std::string key = info.substr(i, eq - i);
        i = eq + 1;
        std::string value;
        if (i < info.size() && info[i] == '\'') {
            ++i;
            while (i < info.size() && info[i] != '\'') {
                if (info[i] == '\\' && i + 1 < info.size()) ++i;
                value += info[i++];
            }
            REQUIRE(i < info.size());
            ++i;  // closing quote
        } else {
            while (i < info.size() && info[i] != ' ') value += info[i++];
        }
        CHECK(out.count(key) == 0);  // every key once
        out[key] = value;
    }
    return out;
}

Settings with_url(std::string url) {
    Settings s;
    s.url = std::move(url);
    return s;
}

struct Failure {
    Exit code = Exit::ok;
    std::string message;
};

Failure conninfo_failure(const std::string& url) {
    try {
        conninfo(with_url(url));
    } catch (const spotctl::Error& e) {
        return {e.code(), e.what()};
    }
    return {};
}

// Sets (or, with nullopt, unsets) an environment variable for the scope, then restores it.
class EnvVar {
public:
    EnvVar(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value->c_str(), 1);
        else ::unsetenv(name);
    }
    ~EnvVar() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("pg: conninfo for a URL with a password") {
    const std::string info = conninfo(with_url("postgresql://alice:s3cret@db.example.com:5433/spot?sslmode=require"));
    CHECK(parse(info) == Fields{{"user", "alice"},
                                {"password", "s3cret"},
                                {"host", "db.example.com"},
                                {"port", "5433"},
                                {"dbname", "spot"},
                                {"sslmode", "require"},
                                {"connect_timeout", "5"},
                                {"application_name", "spotctl"}});
    CHECK(info.rfind("application_name='spotctl'") == info.size() - std::string("application_name='spotctl'").size());
}

TEST_CASE("pg: conninfo decodes a percent-encoded password") {
    const auto fields = parse(conninfo(with_url("postgresql://alice:p%40ss%27w%5Crd@db/spot")));
    CHECK(fields.at("password") == "p@ss'w\\rd");
}

TEST_CASE("pg: conninfo for a key=value string") {
    const auto fields = parse(conninfo(with_url("host=db port=5432 dbname=spot user=alice password='two words'")));
    CHECK(fields == Fields{{"host", "db"},
                           {"port", "5432"},
                           {"dbname", "spot"},
                           {"user", "alice"},
                           {"password", "two words"},
                           {"connect_timeout", "5"},
                           {"application_name", "spotctl"}});
}

TEST_CASE("pg: conninfo for an empty URL leaves everything else to libpq") {
    CHECK(conninfo(Settings{}) == "connect_timeout=5 application_name='spotctl'");
}

TEST_CASE("pg: conninfo sets spotctl's application_name over the user's") {
    Settings s = with_url("postgresql://db/spot?application_name=psql&fallback_application_name=other");
    s.application_name = "spotctl migrate";
    const auto fields = parse(conninfo(s));
    CHECK(fields.at("application_name") == "spotctl migrate");
    CHECK(fields.count("fallback_application_name") == 0);
}

TEST_CASE("pg: conninfo keeps the user's connect_timeout") {
    auto fields = parse(conninfo(with_url("postgresql://db/spot?connect_timeout=2")));
    CHECK(fields.at("connect_timeout") == "2");

    fields = parse(conninfo(with_url("host=db connect_timeout=30")));
    CHECK(fields.at("connect_timeout") == "30");
}

TEST_CASE("pg: conninfo rounds the connect timeout up to whole seconds, at least one") {
    Settings s;
    s.connect_timeout = spotctl::Millis(1500);
    CHECK(parse(conninfo(s)).at("connect_timeout") == "2");
    s.connect_timeout = spotctl::Millis(0);
    CHECK(parse(conninfo(s)).at("connect_timeout") == "1");
    s.connect_timeout = spotctl::Millis(30000);
    CHECK(parse(conninfo(s)).at("connect_timeout") == "30");
}

TEST_CASE("pg: conninfo quotes values with quotes and backslashes") {
    const std::string info = conninfo(with_url(R"(host=db password='it\'s a \\ test')"));
    CHECK(info.find(R"(password='it\'s a \\ test')") != std::string::npos);
    CHECK(parse(info).at("password") == R"(it's a \ test)");
}

TEST_CASE("pg: an invalid URL is a configuration error without the password") {
    auto f = conninfo_failure("postgresql://alice:Pg-invalid-1@db/spot?bogus=1");
    CHECK(f.code == Exit::config);
    CAPTURE(f.message);
    CHECK(f.message.rfind("invalid database URL 'postgresql://alice:****@db/spot?bogus=1': ", 0) == 0);
    CHECK(f.message.find("Pg-invalid-1") == std::string::npos);
    CHECK(f.message.back() != '\n');

    f = conninfo_failure("host=db dbname");
    CHECK(f.code == Exit::config);
    CHECK(f.message.rfind("invalid database URL 'host=db dbname': ", 0) == 0);

    f = conninfo_failure("host=db nonsense=1 password=Pg-invalid-2");
    CHECK(f.code == Exit::config);
    CHECK(f.message.find("Pg-invalid-2") == std::string::npos);
}

TEST_CASE("pg: describe never shows the password") {
    CHECK(describe(with_url("postgresql://alice:Pg-describe-1@db.example.com:5432/spot")) ==
          "postgresql://alice:****@db.example.com:5432/spot");
    CHECK(describe(with_url("host=db user=alice password=Pg-describe-2 dbname=spot")) ==
          "host=db user=alice password=**** dbname=spot");
    CHECK(describe(with_url("host=db password='Pg describe 3'")) == "host=db password=****");
    CHECK(describe(with_url("postgresql://db/spot?password=Pg-describe-4")) == "postgresql://db/spot?password=****");
    CHECK(describe(with_url("postgresql://alice@db/spot")) == "postgresql://alice@db/spot");
}

TEST_CASE("pg: describe for the libpq defaults names the PG variables set") {
    EnvVar service("PGSERVICE", std::nullopt), host("PGHOST", std::nullopt), port("PGPORT", std::nullopt),
        database("PGDATABASE", std::nullopt), user("PGUSER", std::nullopt), password("PGPASSWORD", "Pg-env-secret");
    CHECK(describe(Settings{}) == "the libpq defaults");
    {
        EnvVar h("PGHOST", "dbhost"), p("PGPORT", "5433");
        CHECK(describe(Settings{}) == "the libpq defaults (PGHOST=dbhost PGPORT=5433)");
    }
    {
        EnvVar h("PGHOST", ""), u("PGUSER", "alice");
        CHECK(describe(Settings{}) == "the libpq defaults (PGUSER=alice)");
    }
}

TEST_CASE("pg: exit codes follow the SQLSTATE") {
    CHECK(exit_for_sqlstate("08006") == Exit::unavailable);
    CHECK(exit_for_sqlstate("08001") == Exit::unavailable);
    CHECK(exit_for_sqlstate("57P01") == Exit::unavailable);
    CHECK(exit_for_sqlstate("53300") == Exit::unavailable);
    CHECK(exit_for_sqlstate("42501") == Exit::no_perm);
    CHECK(exit_for_sqlstate("28P01") == Exit::no_perm);
    CHECK(exit_for_sqlstate("40001") == Exit::temp_fail);
    CHECK(exit_for_sqlstate("40P01") == Exit::temp_fail);
    CHECK(exit_for_sqlstate("55P03") == Exit::temp_fail);
    CHECK(exit_for_sqlstate("57014") == Exit::temp_fail);
    CHECK(exit_for_sqlstate("23505") == Exit::data);
    CHECK(exit_for_sqlstate("22P02") == Exit::data);
    CHECK(exit_for_sqlstate("42P01") == Exit::internal);
    CHECK(exit_for_sqlstate("42601") == Exit::internal);
    CHECK(exit_for_sqlstate("55000") == Exit::internal);
}

TEST_CASE("pg: a malformed SQLSTATE maps to internal") {
    CHECK(exit_for_sqlstate("") == Exit::internal);
    CHECK(exit_for_sqlstate("0800") == Exit::internal);
    CHECK(exit_for_sqlstate("080060") == Exit::internal);
}

TEST_CASE("pg: params converts values to text, NULL as nullopt") {
    const auto p = spotctl::pg::params(42, std::string("x"), "y", true, false, std::nullopt, std::optional<int>(),
                                       std::optional<long long>(7), 2.5);
    REQUIRE(p.size() == 9);
    CHECK(p[0] == "42");
    CHECK(p[1] == "x");
    CHECK(p[2] == "y");
    CHECK(p[3] == "true");
    CHECK(p[4] == "false");
    CHECK_FALSE(p[5].has_value());
    CHECK_FALSE(p[6].has_value());
    CHECK(p[7] == "7");
    CHECK(p[8] == "2.5");
}

TEST_CASE("pg: server_message keeps the first line without the severity") {
    CHECK(spotctl::pg::server_message("ERROR:  relation \"x\" does not exist\nLINE 1: select * from x\n") == "relation \"x\" does not exist");
    CHECK(spotctl::pg::server_message("FATAL:  database \"nope\" does not exist\n") == "database \"nope\" does not exist");
    CHECK(spotctl::pg::server_message("could not connect \r\n") == "could not connect");
}
