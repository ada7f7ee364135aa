#pragma once
// Reads a fixture CSV file record by record with libcsv in strict mode: RFC 4180 quoting,
// embedded newlines and quotes, UTF-8 with or without BOM, CRLF or LF. Spaces in unquoted
// fields are kept. An unquoted empty field is NULL; a quoted "" is the empty string (the
// convention of PostgreSQL's CSV COPY). Errors say "file:line:column: what is wrong".
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spotctl::seed {

struct CsvRecord {
    std::vector<std::optional<std::string>> fields;  // nullopt: NULL
    std::size_t line = 0;                            // line where the record starts
};

class CsvReader {
public:
    explicit CsvReader(const std::filesystem::path& path);
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // The next record, or false at the end of the file.
    bool next(CsvRecord& record);
    const std::filesystem::path& path() const { return path_; }

    // "file:line:column" for messages.
    std::string where(std::size_t line, std::size_t column) const;

    struct State;

private:
    bool fill();  // feeds the next line to libcsv; false at end of file

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    std::unique_ptr<State> state_;
};

}  // namespace spotctl::seed
