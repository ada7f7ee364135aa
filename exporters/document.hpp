#pragma once
// One record in full, for commands that show a single thing with nested parts (`moderate show`,
// `user show`): -o json prints the JSON document as it is; -o table prints it as indented
// "key: value" lines, a list of records as one compact line per record. Either way the sections
// keep the command's order and every record in them comes in one order for all show commands:
// identity (id, e-mail, name), status, details, times, then nested parts. CSV has no nesting, so -o csv is refused with Error(Exit::usage).
#include <ostream>
#include <string_view>

#include "exporters/row_writer.hpp"

namespace spotctl::exporters {

// `json` is a JSON object's text; `what` names the command for the CSV refusal.
void write_document(std::ostream& out, Format format, std::string_view json, std::string_view what);

}  // namespace spotctl::exporters
