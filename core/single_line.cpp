#include "core/single_line.hpp"

#include <fmt/format.h>

namespace spotctl {

std::string single_line(std::string_view text, std::size_t max_bytes) {
    std::string out;
    std::size_t i = 0;
    for (; i < text.size() && out.size() < max_bytes; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
    if (i < text.size()) {
        // Back off to the start of a character, so the cut never splits a UTF-8 sequence.
        while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
            --i;
            out.pop_back();
        }
        out += fmt::format("... ({} more bytes)", text.size() - i);
    }
    return out;
}

}  // namespace spotctl
