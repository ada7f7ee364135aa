// The SQL splitter (no-transaction migrations run statement by statement): any bytes either
// split, with every statement found verbatim where it says it is, or raise spotctl::Error.
#include <cstdint>
#include <string_view>

#include "core/errors.hpp"
#include "core/sql_splitter.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view script(reinterpret_cast<const char*>(data), size);
    try {
        for (const auto& s : spotctl::sql::split(script)) {
            FUZZ_CHECK(s.offset + s.text.size() <= script.size());
            FUZZ_CHECK(script.substr(s.offset, s.text.size()) == s.text);
            FUZZ_CHECK(!s.text.empty());
            std::size_t line = 1, column = 1;
            for (std::size_t i = 0; i < s.offset; ++i) {
                if (script[i] == '\n') ++line, column = 1;
                else ++column;
            }
            FUZZ_CHECK(s.line == line && s.column == column);
        }
    } catch (const spotctl::Error&) {
    }
    try {
        std::size_t end = 0;
        for (const auto& t : spotctl::sql::tokenize(script)) {
            FUZZ_CHECK(t.offset >= end && t.length > 0 && t.offset + t.length <= script.size());
            end = t.offset + t.length;  // tokens are in order and never overlap
        }
    } catch (const spotctl::Error&) {
    }
    return 0;
}
