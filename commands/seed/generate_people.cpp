// users, user_sessions and login_attempts.
#include <algorithm>
#include <fmt/format.h>

#include "commands/seed/generate_tables.hpp"
#include "commands/seed/table_sink.hpp"
#include "rulebook/lifetimes.hpp"

namespace spotctl::seed {
namespace {

const char* first_names[] = {"Aarav", "Vivaan", "Aditya", "Ananya", "Diya", "Ishaan", "Kavya", "Meera", "Rohan", "Saanvi",
                             "Arjun", "Priya", "Nikhil", "Sneha", "Rahul", "Lakshmi", "Farhan", "Zoya", "Karthik", "Divya"};
const char* last_names[] = {"Sharma", "Iyer", "Reddy", "Nair", "Patel", "Gupta", "Khan", "Menon", "Das", "Kulkarni",
                            "Singh", "Rao", "Joshi", "D'Souza", "Chatterjee", "Pillai", "Verma", "Bose", "Shetty", "Mehta"};

std::string hex64(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
    return fmt::format("{:016x}{:016x}{:016x}{:016x}", a, b, c, d);
}

}  // namespace

std::uint64_t write_users(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "users",
                   {"id", "email", "name", "phone", "password_hash", "role", "status", "suspended_until", "is_guest", "trust_score",
                    "created_at", "last_login_at", "updated_at"},
                   static_cast<std::uint64_t>(w.users()));
    std::vector<long> trust;
    long trust_first = 0;
    for (long u = 0; u < w.users(); ++u) {
        if (u == trust_first + static_cast<long>(trust.size())) {
            trust_first = u;
            trust = trust_scores(g, u, std::min(w.users(), u + trust_pass_size()));
        }
        Rng r(w.seed(), "user", static_cast<std::uint64_t>(u));
        bool guest = w.is_guest(u);
        std::string status = "active";
        std::optional<std::string> until;
        if (u >= w.staff() && u < w.first_actor() && !guest) {
            double x = r.unit();
            if (x < 0.01) {
                status = "suspended";
                until = w.timestamp(w.anchor() + r.between(1, 30) * day);
            } else if (x < 0.015) {
                status = "banned";
            }
        }
        auto logins = normal_logins(w, u);
        std::optional<std::string> last_login;
        for (auto it = logins.rbegin(); it != logins.rend(); ++it)
            if (it->success) {
                last_login = w.timestamp(it->at);
                break;
            }
        std::string created = w.timestamp(w.user_created(u));
        std::string name = fmt::format("{} {}", r.pick(first_names), r.pick(last_names));
        std::string hash = fmt::format("$argon2id$v=19$m=65536,t=3,p=4${:016x}${:016x}{:016x}", r.next(), r.next(), r.next());
        sink.row({w.user_id(u), guest ? std::nullopt : pg::Value(w.user_email(u)), guest ? pg::Value("Guest") : pg::Value(name),
                  guest ? std::nullopt : pg::Value(fmt::format("+91{}", 7000000000 + r.below(2999999999))),
                  guest ? std::nullopt : pg::Value(hash), w.user_role(u), status, until, guest ? "true" : "false",
                  std::to_string(trust[static_cast<std::size_t>(u - trust_first)]), created, last_login, last_login.value_or(created)});
    }
    return sink.finish();
}

std::uint64_t write_user_sessions(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "user_sessions", {"id", "user_id", "token_hash", "ip", "user_agent", "created_at", "expires_at", "revoked_at"},
                   static_cast<std::uint64_t>(w.users()));
    for (long u = 0; u < w.users(); ++u) {
        Rng r(w.seed(), "sessions", static_cast<std::uint64_t>(u));
        auto logins = normal_logins(w, u);
        int n = static_cast<int>(r.below(3));
        for (int k = 0; k < n && !logins.empty(); ++k) {
            const Login& l = logins[logins.size() - 1 - r.below(std::min<std::size_t>(logins.size(), 20))];
            if (!l.success) continue;
            std::time_t expires = l.at + std::chrono::seconds(rulebook::session_lifetime).count();
            bool revoked = r.chance(0.1);
            sink.row({w.uuid("session", static_cast<std::uint64_t>(u) * 8 + static_cast<std::uint64_t>(k)), w.user_id(u),
                      hex64(r.next(), r.next(), r.next(), r.next()), l.ip, w.user_agent(u), w.timestamp(l.at), w.timestamp(expires),
                      revoked ? pg::Value(w.timestamp(l.at + r.between(600, day))) : std::nullopt});
        }
    }
    return sink.finish();
}

std::uint64_t write_login_attempts(Gen& g) {
    const World& w = g.w;
    TableSink sink(g.tx, "login_attempts", {"user_id", "email", "ip", "success", "country", "latitude", "longitude", "user_agent", "created_at"},
                   static_cast<std::uint64_t>(w.users()) * 100);
    for (long u = 0; u < w.users(); ++u) {
        pg::Value email = w.is_guest(u) ? std::nullopt : pg::Value(w.user_email(u));
        std::string id = w.user_id(u), agent = w.user_agent(u);
        for (const auto& l : normal_logins(w, u))
            sink.row({id, email, l.ip, l.success ? "true" : "false", l.country, fmt::format("{:.4f}", l.lat), fmt::format("{:.4f}", l.lon),
                      agent, w.timestamp(l.at)});
    }
    for (const auto& l : g.planted.logins)
        sink.row({l.user >= 0 ? pg::Value(w.user_id(l.user)) : std::nullopt, l.email, l.ip, l.success ? "true" : "false", l.country,
                  fmt::format("{:.4f}", l.lat), fmt::format("{:.4f}", l.lon), l.agent, w.timestamp(l.at)});
    return sink.finish();
}

}  // namespace spotctl::seed
