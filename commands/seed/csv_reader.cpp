#include "commands/seed/csv_reader.hpp"

#include <cerrno>
#include <csv.h>
#include <cstring>
#include <deque>
#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl::seed {

struct CsvReader::State {
    csv_parser parser{};
    std::deque<CsvRecord> ready;
    CsvRecord current;
    std::size_t line = 0;          // line being fed
    std::size_t record_start = 1;  // line where the current record began
    bool in_record = false;
    bool ended_at_cr = false;      // the last record ended at a CR
    bool eof = false;
    char* buffer = nullptr;
    std::size_t capacity = 0;
};

namespace {

// Keep spaces and tabs in unquoted fields exactly as written.
int no_space(unsigned char) { return 0; }

void on_field(void* data, std::size_t length, void* user) {
    auto* s = static_cast<CsvReader::State*>(user);
    if (!s->in_record) {
        s->in_record = true;
        s->current.line = s->record_start;
    }
    if (data == nullptr) s->current.fields.emplace_back(std::nullopt);  // unquoted empty: NULL
    else s->current.fields.emplace_back(std::string(static_cast<const char*>(data), length));
}

void on_record(int terminator, void* user) {
    auto* s = static_cast<CsvReader::State*>(user);
    s->ended_at_cr = terminator == '\r';
    if (!s->in_record) {  // a blank line: libcsv reports an empty record; skip it
        s->record_start = s->line + 1;
        return;
    }
    s->ready.push_back(std::move(s->current));
    s->current = CsvRecord{};
    s->in_record = false;
    s->record_start = s->line + 1;
}

}  // namespace

CsvReader::CsvReader(const std::filesystem::path& path) : path_(path), state_(std::make_unique<State>()) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw Error(Exit::data, fmt::format("cannot open '{}': {}", path.string(), errno_text(errno)));
    if (csv_init(&state_->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
        throw Error(Exit::internal, "cannot initialise the CSV parser");
    csv_set_space_func(&state_->parser, no_space);
}

CsvReader::~CsvReader() {
    csv_free(&state_->parser);
    if (state_->buffer) std::free(state_->buffer);
    if (file_) (void)std::fclose(file_);  // read-only: a failed close loses nothing
}

std::string CsvReader::where(std::size_t line, std::size_t column) const {
    return fmt::format("{}:{}:{}", path_.string(), line, column);
}

bool CsvReader::fill() {
    ssize_t n = ::getline(&state_->buffer, &state_->capacity, file_);
    if (n < 0) {
        if (std::ferror(file_)) throw Error(Exit::data, fmt::format("cannot read '{}': {}", path_.string(), errno_text(errno)));
        if (csv_fini(&state_->parser, on_field, on_record, state_.get()) != 0)
            throw Error(Exit::data, fmt::format("{}: unterminated quoted field (it starts on line {})",
                                                where(state_->record_start, state_->current.fields.size() + 1),
                                                state_->record_start));
        state_->eof = true;
        return false;
    }
    ++state_->line;
    const char* data = state_->buffer;
    std::size_t length = static_cast<std::size_t>(n);
    if (state_->line == 1 && length >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        length -= 3;
    }
    if (std::memchr(data, '\0', length))
        throw Error(Exit::data, fmt::format("{}: the line contains a NUL byte", where(state_->line, 1)));
    // libcsv also ends a record at a lone CR (old Mac line ends), but lines are counted by LF:
    // the line is fed up to each CR, so that a record starting after a lone CR is placed on
    // this line rather than the next.
    for (std::size_t start = 0; start < length;) {
        const void* cr = std::memchr(data + start, '\r', length - start);
        std::size_t end = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - data) + 1 : length;
        state_->ended_at_cr = false;
        std::size_t parsed = csv_parse(&state_->parser, data + start, end - start, on_field, on_record, state_.get());
        if (parsed != end - start)
            throw Error(Exit::data, fmt::format("{}: {} (a quote inside an unquoted field, or text after a closing quote)",
                                                where(state_->line, start + parsed + 1), csv_strerror(csv_error(&state_->parser))));
        if (state_->ended_at_cr && end < length && data[end] != '\n') state_->record_start = state_->line;
        start = end;
    }
    return true;
}

bool CsvReader::next(CsvRecord& record) {
    while (state_->ready.empty()) {
        if (state_->eof || !fill()) {
            if (state_->ready.empty()) return false;
        }
    }
    record = std::move(state_->ready.front());
    state_->ready.pop_front();
    return true;
}

}  // namespace spotctl::seed
