#include "cli/registry.hpp"

#include "commands/audit/cli_audit.hpp"
#include "commands/cache/cli_cache.hpp"
#include "commands/doctor/cli_doctor.hpp"
#include "commands/fraud/cli_fraud.hpp"
#include "commands/health/cli_health.hpp"
#include "commands/locks/cli_locks.hpp"
#include "commands/migrate/cli_migrate.hpp"
#include "commands/moderate/cli_moderate.hpp"
#include "commands/prune/cli_prune.hpp"
#include "commands/report/cli_report.hpp"
#include "commands/rules/cli_rules.hpp"
#include "commands/seed/cli_seed.hpp"
#include "commands/staff/cli_staff.hpp"
#include "commands/coins/cli_coins.hpp"
#include "commands/user/cli_user.hpp"

namespace spotctl::cli {

const std::vector<CommandArea>& command_areas() {
    static const std::vector<CommandArea> areas = {
        {"migrate", "Apply, revert, inspect and lint versioned schema migrations", define_migrate},
        {"seed", "Load fixtures, generate deterministic synthetic data, reset, mark the environment", define_seed},
        {"health", "Probe PostgreSQL, Redis and HTTP endpoints, for people and monitoring (exit 0-3)", define_health},
        {"cache", "Redis cache: stats, purge by namespace or glob, invalidate an entity's keys, fix missing TTLs", define_cache},
        {"prune", "Retention jobs: expired sessions, old login attempts and notifications, stale holds, deleted accounts", define_prune},
        {"fraud", "Fraud rules over the platform's data, the alert review queue, the IP blacklist and risk scores", define_fraud},
        {"locks", "List the spotctl jobs that hold a lock on the database now", define_locks},
        {"rules", "Print the platform's rulebook: rewards, derived scores, lifetimes, cache TTLs, roles", define_rules},
        {"moderate", "The review queue: list, show, claim, approve, reject, escalate, bulk decisions (audited)", define_moderate},
        {"user", "One account: show, suspend, ban, restore, export its data, erase it (audited)", define_user},
        {"staff", "Moderators and admins: list them, grant and revoke roles (admins only, audited)", define_staff},
        {"coins", "A user's coin ledger with its running balance; adjust and redeem through the ledger (audited)", define_coins},
        {"audit", "Read the append-only audit log: who did what to which subject, when and why", define_audit},
        {"doctor", "Check the platform's invariants (ledger, derived values, references, sessions, cache, schema) and repair them", define_doctor},
        {"report", "Reports (revenue, usage, growth, coins, moderation, fraud, impact) as CSV, JSON or PDF; raw exports for finance", define_report},
    };
    return areas;
}

}  // namespace spotctl::cli
