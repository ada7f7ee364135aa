#pragma once
// Keeps passwords out of every line spotctl prints. Connection strings are shown with
// their password replaced by ****, and every secret seen while parsing settings is
// registered so that messages from libraries (which may echo a URL) are scrubbed too.
#include <string>
#include <string_view>

namespace spotctl {

// A connection string (postgresql://, redis://, unix://, or libpq key=value) with its
// password shown as ****.
std::string redact_url(std::string_view url);

// Remembers a secret so that scrub_secrets() removes it from any later message.
void register_secret(std::string_view secret);

// Replaces every registered secret, and any password in a URL-looking part, by ****.
std::string scrub_secrets(std::string_view text);

}  // namespace spotctl
