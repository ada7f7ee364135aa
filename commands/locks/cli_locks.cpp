#include "commands/locks/cli_locks.hpp"

#include "commands/locks/locks.hpp"

namespace spotctl::cli {

void define_locks(CommandBuilder& builder) {
    builder.action([](Context& ctx) { return locks::list(ctx); });
    builder.examples("  spotctl locks\n  spotctl locks -o json");
}

}  // namespace spotctl::cli
