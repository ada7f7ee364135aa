#include <catch2/catch.hpp>

#include "commands/prune/policies.hpp"
#include "core/errors.hpp"

using namespace spotctl;
using namespace spotctl::prune;

TEST_CASE("prune policies: names, defaults and actions") {
    CHECK(find_policy("login_attempts").default_days == 90);
    CHECK(find_policy("notifications").default_days == 30);
    CHECK(find_policy("photos").default_days == 30);
    CHECK(find_policy("deleted_accounts").default_days == 30);
    CHECK(find_policy("deleted_accounts").action == Action::anonymise);
    CHECK(find_policy("reservations").action == Action::expire);
    CHECK(action_name(Action::remove, true) == "would delete");
    CHECK(action_name(Action::anonymise, false) == "anonymised");
    try {
        find_policy("logins");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == Exit::usage);
        CHECK(std::string(e.hint()) == "the policies are: sessions, login_attempts, notifications, reservations, photos, deleted_accounts, guest_accounts");
    }
}
