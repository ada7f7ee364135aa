#include "core/output_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl {

void OutputFile::Buffer::drain() {
    std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (n == 0) return;
    if (hash_) sha.update(std::string_view(pbase(), n));
    if (std::fwrite(pbase(), 1, n, f_) != n) {
        int err = errno;
        throw Error(Exit::cant_write, fmt::format("cannot write '{}': {}", name_, errno_text(err)));
    }
    bytes += n;
    setp(data_.data(), data_.data() + data_.size());
}

OutputFile::Buffer::int_type OutputFile::Buffer::overflow(int_type c) {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
    }
    return traits_type::not_eof(c);
}

std::streamsize OutputFile::Buffer::xsputn(const char* s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        std::streamsize room = epptr() - pptr();
        if (room == 0) {
            drain();
            continue;
        }
        std::streamsize k = std::min(room, n - done);
        std::memcpy(pptr(), s + done, static_cast<std::size_t>(k));
        pbump(static_cast<int>(k));
        done += k;
    }
    return n;
}

int OutputFile::Buffer::sync() {
    drain();
    if (std::fflush(f_) != 0) {
        int err = errno;
        throw Error(Exit::cant_write, fmt::format("cannot write '{}': {}", name_, errno_text(err)));
    }
    return 0;
}

OutputFile::OutputFile(const std::string& path, mode_t mode, bool hash) : stream_(nullptr) {
    if (path.empty() || path == "-") {
        buffer_ = std::make_unique<Buffer>(stdout, "standard output", hash);
    } else {
        path_ = path;
        file_ = std::make_unique<AtomicFile>(path_, mode);
        buffer_ = std::make_unique<Buffer>(file_->stream(), path, hash);
    }
    stream_.rdbuf(buffer_.get());
    stream_.exceptions(std::ios::badbit);
}

OutputFile::~OutputFile() = default;

void OutputFile::commit() {
    buffer_->drain();
    if (file_) {
        file_->commit();
    } else if (std::fflush(stdout) != 0) {
        int err = errno;
        throw Error(Exit::cant_write, fmt::format("cannot write to standard output: {}", errno_text(err)));
    }
}

std::uint64_t OutputFile::bytes() const { return buffer_->bytes; }
std::string OutputFile::sha256_hex() { return buffer_->sha.hex(); }

}  // namespace spotctl
