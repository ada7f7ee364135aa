#pragma once
// The staff roster: every moderator and admin with the grant behind their role (role_grants,
// migration 0012) and their last moderation decision. One query and one column list for
// `spotctl staff list` and the `access-review` report, so the two never disagree.
#include <string>
#include <vector>

#include "exporters/row_writer.hpp"

namespace spotctl::staff {

// Columns, in the order roster_sql() selects them.
const std::vector<exporters::Column>& roster_columns();

// A SELECT without parameters (a report may put its WITH prefix in front of it), by e-mail.
// granted_at/granted_by are NULL when the role predates role_grants.
const std::string& roster_sql();

}  // namespace spotctl::staff
