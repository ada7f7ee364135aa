#pragma once
// Every file spotctl writes goes through here: the content is written to a temporary file
// beside the target, flushed and synced, then renamed over the target. A failure or a kill
// leaves either the old file or nothing at the target, never half a file. A target that is a
// symbolic link keeps it (the file it names is replaced); one that is a device, FIFO or socket
// (/dev/stdout, a pipe) is written in place, where no atomicity is possible.
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <sys/types.h>

namespace spotctl {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path target, mode_t mode = 0644);
    ~AtomicFile();  // removes the temporary file unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view data);
    std::FILE* stream() { return file_; }

    // Renames over the target. Error(Exit::cant_write) on any write, flush or sync failure.
    void commit();
    // Like commit() but fails with Error(Exit::cant_write) if the target already exists.
    void commit_new();

    const std::filesystem::path& target() const { return target_; }

private:
    void flush_and_close();

    std::filesystem::path target_;
    std::filesystem::path temp_;
    std::FILE* file_ = nullptr;
    bool in_place_ = false;  // a device, FIFO or socket: no temporary file, no rename
    bool done_ = false;
};

// Writes a whole file atomically.
void write_file_atomically(const std::filesystem::path& target, std::string_view content, mode_t mode = 0644);

}  // namespace spotctl
