// The sessions of issue 21's trial, done again with the one grammar and counted: five moderation
// decisions, the wrongly suspended user put right, and a fraud review. A person reads what each
// command prints and types the next; the counts are of commands typed and of full (36-character)
// ids pasted. The trial took 19 commands and 12 pasted ids for the five decisions.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/uuid.hpp"
#include "support/demo_data.hpp"
#include "support/harness.hpp"

using namespace spotctl;
using namespace spotctl::test;

namespace {

// Runs commands as a person would type them, counting them and the full ids in them.
class Transcript {
public:
    explicit Transcript(const TempDatabase& db) : db_(db) {}
    RunResult type(std::vector<std::string> words) {
        ++commands_;
        for (const auto& w : words) pasted_ids_ += looks_like_uuid(w) ? 1 : 0;
        std::vector<std::string> args = {"--database-url", db_.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS")};
        args.insert(args.end(), words.begin(), words.end());
        auto r = run_spotctl(args, {{"SPOTCTL_ACTOR", "mod1@spot.example"}});
        INFO("spotctl " << fmt::format("{}", fmt::join(words, " ")) << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return r;
    }
    int commands() const { return commands_; }
    int pasted_ids() const { return pasted_ids_; }

private:
    const TempDatabase& db_;
    int commands_ = 0;
    int pasted_ids_ = 0;
};

}  // namespace

TEST_CASE("transcript: five moderation decisions, a wrong suspension undone and a fraud review, without pasting an id", "[transcript][moderate][fraud]") {
    TempDatabase db("spotctl_template");
    load_demo_seeds(db);
    // The claims the demo data holds are long expired: the queue's first items.
    auto claimed = [&] {
        return db.scalar("SELECT subject_type FROM moderation_items WHERE status = 'claimed' AND claimed_until > now() "
                         "AND claimed_by = (SELECT id FROM users WHERE email = 'mod1@spot.example')");
    };

    SECTION("five decisions: one claim, then one command per decision") {
        Transcript t(db);
        auto first = t.type({"moderate", "claim", "--next"});
        REQUIRE(first.out.find("\nsubject:\n") != std::string::npos);  // the claimed item is shown as `show` shows it
        for (int decision = 1; decision <= 5; ++decision) {
            std::string type = claimed();
            REQUIRE(!type.empty());
            // A reported user is suspended; the rest are fine.
            std::vector<std::string> words = {"moderate", type == "user" ? "reject" : "approve", "--reason", "checked"};
            if (decision < 5) words.push_back("--next");
            auto r = t.type(words);
            if (decision < 5) REQUIRE(r.out.find("\nhistory:") != std::string::npos);  // the next item, shown
        }
        REQUIRE(t.commands() == 6);
        REQUIRE(t.pasted_ids() == 0);
        REQUIRE(db.scalar("SELECT count(*) FROM audit_log WHERE action IN ('moderation.approve', 'moderation.reject') "
                          "AND actor_email = 'mod1@spot.example' AND at > now() - interval '1 hour'") == "5");
    }

    SECTION("the wrongly suspended user: found by e-mail in the audit log and restored") {
        // A moderator rejects the report about u37 (the demo's open user report), suspending them.
        std::string email = db.scalar("SELECT email FROM users WHERE id = '00000000-0000-4000-8000-000000000037'");
        auto reject = run_spotctl({"--database-url", db.url(), "--redis-url", required_env("SPOTCTL_TEST_REDIS"), "moderate", "reject",
                                   "0000000c-0000-4000-8000-000000000018", "--reason", "abuse", "--as", "mod2@spot.example"});
        INFO(reject.err);
        REQUIRE(reject.exit_code == 0);

        Transcript t(db);
        auto history = t.type({"audit", "--subject", email});
        REQUIRE(history.out.find("moderation.reject") != std::string::npos);  // the suspension, made through the item
        t.type({"user", "restore", email, "--reason", "report was mistaken"});
        REQUIRE(db.scalar("SELECT status FROM users WHERE email = $1", pg::params(email)) == "active");
        REQUIRE(t.commands() == 2);
        REQUIRE(t.pasted_ids() == 0);
    }

    SECTION("a fraud review: the verification_velocity alert, its evidence whole, coins reversed") {
        Transcript t(db);
        t.type({"fraud", "scan", "--since", "60d", "-q"});
        auto list = t.type({"fraud", "alerts", "--rule", "verification_velocity", "-o", "json"});
        auto alerts = nlohmann::json::parse(list.out);
        REQUIRE(!alerts.empty());
        std::string id = std::to_string(alerts[0]["id"].get<long long>());  // a short number, typed
        auto show = t.type({"fraud", "show", id});
        REQUIRE(show.out.find("20015") == std::string::npos);
        t.type({"fraud", "review", id, "confirm", "--action", "reverse-coins", "--reason", "impossible travel"});
        REQUIRE(db.scalar("SELECT status FROM fraud_alerts WHERE id = $1::bigint", pg::params(id)) == "confirmed");
        REQUIRE(t.commands() == 4);  // scan, list, look, decide
        REQUIRE(t.pasted_ids() == 0);
    }
}
