// The fixture CSV reader (seed load): any bytes give records or a spotctl::Error with
// "file:line:column"; record lines never go backwards or past the input's lines.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "commands/seed/csv_reader.hpp"
#include "core/errors.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = [] {
        char pattern[] = "/tmp/spotctl-fuzz-csv-XXXXXX";
        int fd = ::mkstemp(pattern);
        ::close(fd);
        return std::string(pattern);
    }();
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    std::size_t lines = 1 + static_cast<std::size_t>(std::count(data, data + size, '\n'));
    try {
        spotctl::seed::CsvReader reader(path);
        spotctl::seed::CsvRecord record;
        std::size_t last_line = 0, total = 0;
        while (reader.next(record)) {
            FUZZ_CHECK(record.line >= last_line && record.line <= lines);
            last_line = record.line;
            for (const auto& field : record.fields)
                if (field) total += field->size();
            FUZZ_CHECK(total <= size);  // no field invents bytes
        }
    } catch (const spotctl::Error& e) {
        FUZZ_CHECK(std::string(e.what()).find(path) == 0);  // messages start with the file
    }
    return 0;
}
