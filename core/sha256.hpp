#pragma once
#include <string>
#include <string_view>

namespace spotctl {
// Lower-case hex SHA-256 of the bytes (OpenSSL's libcrypto does the hashing).
std::string sha256_hex(std::string_view data);
}  // namespace spotctl
