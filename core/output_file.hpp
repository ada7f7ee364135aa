#pragma once
// Where an export goes: a file written atomically (temporary file beside it, renamed on
// success, so a failure leaves nothing at the target) or standard output for "-" or no path.
// Counts and hashes the bytes as they pass (for manifests). Write errors throw
// Error(Exit::cant_write) out of the stream, not a silently set badbit.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/sha256.hpp"

namespace spotctl {

class OutputFile {
public:
    // path "" or "-": standard output. mode: of the created file. hash: compute the SHA-256
    // of the bytes (for a manifest; it costs CPU on big exports).
    explicit OutputFile(const std::string& path, mode_t mode = 0640, bool hash = true);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream() { return stream_; }
    bool is_stdout() const { return !file_; }
    const std::filesystem::path& path() const { return path_; }

    // Flushes; for a file, syncs and renames it over the target. Throws Error(Exit::cant_write).
    void commit();
    std::uint64_t bytes() const;
    std::string sha256_hex();  // after commit(); only when constructed with hash

private:
    class Buffer : public std::streambuf {
    public:
        Buffer(std::FILE* f, std::string name, bool hash) : hash_(hash), f_(f), name_(std::move(name)), data_(1 << 16) {
            setp(data_.data(), data_.data() + data_.size());
        }
        void drain();
        std::uint64_t bytes = 0;
        Sha256 sha;

    protected:
        int_type overflow(int_type c) override;
        int sync() override;
        std::streamsize xsputn(const char* s, std::streamsize n) override;

    private:
        bool hash_;
        std::FILE* f_;
        std::string name_;
        std::vector<char> data_;
    };

    std::filesystem::path path_;
    std::unique_ptr<AtomicFile> file_;
    std::unique_ptr<Buffer> buffer_;
    std::ostream stream_;
};

}  // namespace spotctl
