// Migration files as `migrate` reads them: a directory holding one file whose name and content
// come from the input (paired NNNN_name.up.sql or dbmate's NNNN_name.sql). Reading either
// succeeds or raises spotctl::Error naming the file.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "commands/migrate/migration_files.hpp"
#include "core/errors.hpp"
#include "fuzz_check.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fs::path dir = [] {
        char pattern[] = "/tmp/spotctl-fuzz-migrations-XXXXXX";
        return fs::path(::mkdtemp(pattern));
    }();
    std::string input(reinterpret_cast<const char*>(data), size);
    // The first line is the file name (without '/' and NUL, which no file name can hold).
    auto newline = input.find('\n');
    std::string name = input.substr(0, std::min(newline, std::size_t{200}));
    std::string content = newline == std::string::npos ? "" : input.substr(newline + 1);
    for (auto& c : name)
        if (c == '/' || c == '\0') c = '_';
    if (name.empty() || name == "." || name == "..") name = "0001_x.up.sql";
    for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
    {
        std::ofstream out(dir / name, std::ios::binary);
        out << content;
    }
    try {
        auto files = spotctl::migrate::load_migrations(dir);
        FUZZ_CHECK(files.size() <= 1);
        for (const auto& f : files) {
            if (f.format == spotctl::migrate::FileFormat::paired) {
                FUZZ_CHECK(f.up.sql == content);
                FUZZ_CHECK(f.up.no_transaction == spotctl::migrate::is_no_transaction(content));
            } else {
                // dbmate: each section is a piece of the file, starting at its own line there.
                FUZZ_CHECK(content.find(f.up.sql) != std::string::npos);
                FUZZ_CHECK(f.up.first_line >= 1);
                if (f.down) FUZZ_CHECK(f.down->first_line > f.up.first_line && content.ends_with(f.down->sql));
            }
            FUZZ_CHECK(f.checksum.size() == 64);
        }
    } catch (const spotctl::Error& e) {
        FUZZ_CHECK(std::string(e.what()).size() > 0);
    }
    return 0;
}
