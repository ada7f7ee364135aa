#include "commands/rules/cli_rules.hpp"

#include "commands/rules/rules.hpp"

namespace spotctl::cli {

void define_rules(CommandBuilder& builder) {
    builder.action([](Context& ctx) { return rules::show(ctx); });
    builder.examples("  spotctl rules\n  spotctl rules -o json");
}

}  // namespace spotctl::cli
