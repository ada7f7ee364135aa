#include "core/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/errors.hpp"

namespace spotctl {

std::string sha256_hex(std::string_view data) {
    // Hashing needs no configuration: skip reading openssl.cnf (about a millisecond per run).
    static const bool initialised = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
    (void)initialised;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw Error(Exit::internal, "SHA-256 computation failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace spotctl
