#pragma once
// Whether text is a UUID as PostgreSQL prints one (8-4-4-4-12 hex digits), checked before it
// reaches a ::uuid cast so that a typo is a usage error naming the flag, not a server error.
#include <cctype>
#include <string_view>

namespace spotctl {

inline bool looks_like_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
        if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

}  // namespace spotctl
