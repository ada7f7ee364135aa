#include "core/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.hpp"

namespace spotctl {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view what, int err) {
    throw Error(Exit::cant_write, fmt::format("cannot write '{}': {}: {}", path.string(), what, errno_text(err)));
}

void sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target, mode_t mode) : target_(std::move(target)) {
    std::error_code ec;
    auto status = std::filesystem::status(target_, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
        // A device, FIFO or socket (/dev/stdout, /dev/full, a pipe from `>(gzip)`): written in
        // place, since renaming a file over it would replace the device node itself.
        int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) fail(target_, "cannot open it", errno);
        file_ = ::fdopen(fd, "w");
        if (!file_) {
            // GCOVR_EXCL_START: fdopen of a descriptor just opened for writing fails only when it cannot allocate
            int err = errno;
            ::close(fd);
            fail(target_, "cannot open it", err);
            // GCOVR_EXCL_STOP
        }
        in_place_ = true;
        return;
    }
    // A symbolic link stays one: the file it points to is replaced.
    if (!ec && std::filesystem::is_symlink(std::filesystem::symlink_status(target_, ec))) {
        auto real = std::filesystem::canonical(target_, ec);
        if (!ec) target_ = real;  // a dangling link is replaced like a missing file
    }
    auto dir = target_.parent_path();
    std::string pattern = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) fail(target_, "cannot create a temporary file beside it", errno);
    temp_ = pattern;
    ::fchmod(fd, mode);
    file_ = ::fdopen(fd, "w");
    if (!file_) {
        // GCOVR_EXCL_START: as above, fdopen of mkstemp's descriptor fails only when it cannot allocate
        int err = errno;
        ::close(fd);
        ::unlink(temp_.c_str());
        fail(target_, "cannot open the temporary file", err);
        // GCOVR_EXCL_STOP
    }
}

AtomicFile::~AtomicFile() {
    if (file_) (void)std::fclose(file_);  // the unfinished temporary is removed next
    if (!done_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::write(std::string_view data) {
    if (data.empty()) return;
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) fail(target_, "write failed", errno);
}

void AtomicFile::flush_and_close() {
    if (std::fflush(file_) != 0) fail(target_, "write failed", errno);
    // Devices and pipes cannot be synced (EINVAL); their write errors surfaced at fflush.
    if (::fsync(::fileno(file_)) != 0 && !(in_place_ && errno == EINVAL)) fail(target_, "sync failed", errno);
    std::FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) fail(target_, "close failed", errno);
}

void AtomicFile::commit() {
    flush_and_close();
    if (in_place_) {
        done_ = true;
        return;
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) fail(target_, "rename failed", errno);
    done_ = true;
    sync_directory(target_.parent_path());
}

void AtomicFile::commit_new() {
    if (in_place_) throw Error(Exit::cant_write, fmt::format("cannot create '{}': it already exists", target_.string()));
    flush_and_close();
    // link() refuses an existing target, unlike rename(): two writers cannot both win.
    if (::link(temp_.c_str(), target_.c_str()) != 0) {
        int err = errno;
        if (err == EEXIST)
            throw Error(Exit::cant_write, fmt::format("cannot create '{}': the file already exists", target_.string()));
        fail(target_, "link failed", err);
    }
    ::unlink(temp_.c_str());
    done_ = true;
    sync_directory(target_.parent_path());
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content, mode_t mode) {
    AtomicFile file(target, mode);
    file.write(content);
    file.commit();
}

}  // namespace spotctl
