#include "core/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/errors.hpp"

namespace spotctl {
namespace {
void init_once() {
    // Hashing needs no configuration: skip reading openssl.cnf (about a millisecond per run).
    static const bool initialised = OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1;
    (void)initialised;
}

std::string to_hex(const unsigned char* digest, unsigned int length) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::size_t{length} * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}
}  // namespace

std::string sha256_hex(std::string_view data) {
    init_once();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw Error(Exit::internal, "SHA-256 computation failed");
    return to_hex(digest, length);
}

struct Sha256::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() {
        if (ctx) EVP_MD_CTX_free(ctx);
    }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
    init_once();
    impl_->ctx = EVP_MD_CTX_new();
    if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1)
        throw Error(Exit::internal, "SHA-256 computation failed");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view data) {
    if (EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1) throw Error(Exit::internal, "SHA-256 computation failed");
}

std::string Sha256::hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(impl_->ctx, digest, &length) != 1) throw Error(Exit::internal, "SHA-256 computation failed");
    return to_hex(digest, length);
}

}  // namespace spotctl
