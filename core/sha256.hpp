#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace spotctl {
// Lower-case hex SHA-256 of the bytes (migration checksums, report manifests).
std::string sha256_hex(std::string_view data);

// The same, fed in pieces (for files written as a stream).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view data);
    // The digest of everything fed so far; call once.
    std::string hex();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};
}  // namespace spotctl
