#pragma once
// Checks a TOML document's characters before toml++ reads it. Debian's toml++ 3.3 reaches
// __builtin_unreachable (undefined behaviour: anything may happen) when it asks whether some
// non-ASCII characters are whitespace, which it does for any non-ASCII character outside a
// string (`é = 1`, `port = 5432é`, and `5"é"`, where the quote is part of the bare value 5"),
// for whatever follows a backslash in a multi-line string, and for the first character after a
// line-ending backslash. The fuzzer found it. TOML allows non-ASCII text only in strings and
// comments, so refusing it elsewhere changes no valid file's meaning; the backslash case is
// valid TOML and is refused with a way round it.
#include <string>
#include <string_view>

namespace spotctl {

// Throws Error(Exit::config) naming path:line:column on invalid UTF-8, on a non-ASCII character
// outside strings and comments, and on a non-ASCII character right after a line-ending backslash.
void check_toml_text(std::string_view text, const std::string& path);

}  // namespace spotctl
