#include "cli/registry.hpp"

#include "commands/locks/cli_locks.hpp"
#include "commands/migrate/cli_migrate.hpp"

namespace spotctl::cli {

const std::vector<CommandArea>& command_areas() {
    static const std::vector<CommandArea> areas = {
        {"migrate", "Apply, revert, inspect and lint versioned schema migrations", define_migrate},
        {"locks", "List the spotctl jobs that hold a lock on the database now", define_locks},
    };
    return areas;
}

}  // namespace spotctl::cli
