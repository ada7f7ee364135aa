#include "core/toml_text_guard.hpp"

#include <vector>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace spotctl {
namespace {

enum class State { plain, comment, basic, literal, multi_basic, multi_literal };

class Scanner {
public:
    Scanner(std::string_view text, const std::string& path) : text_(text), path_(path) {}

    void run() {
        while (at_ < text_.size()) {
            unsigned char c = static_cast<unsigned char>(text_[at_]);
            if (c >= 0x80) {
                non_ascii();
                continue;
            }
            switch (state_) {
                case State::plain: plain(c); break;
                // A line break ends a comment, and an unterminated string, in plain text, where
                // it starts the next line's key.
                case State::comment:
                    if (c == '\n') state_ = State::plain;
                    else advance(1);
                    break;
                case State::basic:
                    if (c == '\n') state_ = State::plain;
                    else {
                        if (c == '\\' && ascii_at(at_ + 1)) advance(1);  // and the escaped character below
                        else if (c == '"') state_ = State::plain;
                        advance(1);
                    }
                    break;
                case State::literal:
                    if (c == '\n') state_ = State::plain;
                    else {
                        if (c == '\'') state_ = State::plain;
                        advance(1);
                    }
                    break;
                case State::multi_basic: multi_basic(c); break;
                case State::multi_literal:
                    if (starts_with("'''")) close_multi('\'');
                    else advance(1);
                    break;
            }
        }
    }

private:
    // Outside strings and comments the scanner follows TOML's structure closely enough to know
    // where toml++ reads a string and where it reads a bare value: it scans a bare value (`5"x`,
    // `1.'x'`, `1=[x`) up to whitespace, `,`, `]`, `}` or `#`, testing each character as
    // whitespace, so a quote inside one opens no string and what follows must be ASCII.
    void plain(unsigned char c) {
        Frame& frame = frames_.back();
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t' || c == '#') {
            bare_value_ = false;
            if (c == '\n' && frames_.size() == 1) frame.value = false;  // the next line starts with a key
            if (c == '#') state_ = State::comment;
            return advance(1);
        }
        if (frame.value) {
            if (c == ',' || c == ']' || c == '}') {
                bare_value_ = false;
                close_or_separate(c);
            } else if (bare_value_) {
            } else if (c == '[') {
                frames_.push_back({'[', true});
            } else if (c == '{') {
                frames_.push_back({'{', false});
            } else if (c == '"' || c == '\'') {
                return open_string(c);
            } else {
                bare_value_ = true;
            }
        } else if (c == '=') {
            frame.value = true;
        } else if (c == '[') {
            frames_.push_back({'h', false});  // a table header, or [[ ]]
        } else if (c == ',' || c == ']' || c == '}') {
            close_or_separate(c);
        } else if (c == '"' || c == '\'') {
            return open_string(c);
        }
        advance(1);
    }

    void close_or_separate(unsigned char c) {
        char kind = frames_.back().kind;
        if (c == ',' && kind == '{') frames_.back().value = false;  // the next key of an inline table
        else if ((c == ']' && (kind == '[' || kind == 'h')) || (c == '}' && kind == '{')) frames_.pop_back();
    }

    void open_string(unsigned char quote) {
        if (quote == '"' && starts_with("\"\"\"")) return open_multi(State::multi_basic);
        if (quote == '\'' && starts_with("'''")) return open_multi(State::multi_literal);
        state_ = quote == '"' ? State::basic : State::literal;
        advance(1);
    }

    void multi_basic(unsigned char c) {
        if (starts_with("\"\"\"")) return close_multi('"');
        if (c != '\\') return advance(1);
        advance(1);
        // toml++ tests whatever follows a backslash, after any spaces and tabs, as whitespace; a
        // non-ASCII character there is never a valid escape anyway.
        std::size_t look = at_;
        while (look < text_.size() && (text_[look] == ' ' || text_[look] == '\t')) ++look;
        if (look < text_.size() && !ascii_at(look)) {
            advance(look - at_);
            fail(fmt::format("{} after a backslash is not an escape (toml++ 3.3 misreads it)", code_point_name(decode())));
        }
        if (look >= text_.size() || (text_[look] != '\n' && text_[look] != '\r')) {
            advance(1);  // the escaped character
            return;
        }
        // A line-ending backslash: every space, tab and line break after it is trimmed, and
        // toml++ tests the first other character as whitespace.
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
            advance(1);
        if (at_ < text_.size() && !ascii_at(at_))
            fail(fmt::format("{} right after a line-ending backslash is not supported (toml++ 3.3 misreads it); "
                             "begin the continued line with an ASCII character",
                             code_point_name(decode())));
    }

    void open_multi(State state) {
        state_ = state;
        advance(3);
    }

    // Up to two more quotes after the closing three belong to the string's text.
    void close_multi(char quote) {
        advance(3);
        for (int extra = 0; extra < 2 && at_ < text_.size() && text_[at_] == quote; ++extra) advance(1);
        state_ = State::plain;
    }

    void non_ascii() {
        char32_t cp = decode();
        if (state_ == State::plain)
            fail(fmt::format("{} outside a string or comment (TOML allows non-ASCII text only in those)", code_point_name(cp)));
        advance(length_);
    }

    // The code point at at_, its byte length kept in length_; fails on invalid UTF-8.
    char32_t decode() {
        auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[at_ + i]); };
        unsigned char lead = byte(0);
        std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
        if (length == 0 || at_ + length > text_.size()) fail("invalid UTF-8");
        char32_t cp = lead & (0x7F >> length);
        for (std::size_t i = 1; i < length; ++i) {
            if ((byte(i) & 0xC0) != 0x80) fail("invalid UTF-8");
            cp = (cp << 6) | (byte(i) & 0x3F);
        }
        static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("invalid UTF-8");
        length_ = length;
        return cp;
    }

    static std::string code_point_name(char32_t cp) { return fmt::format("U+{:04X}", static_cast<unsigned>(cp)); }

    bool ascii_at(std::size_t i) const { return i < text_.size() && static_cast<unsigned char>(text_[i]) < 0x80; }

    bool starts_with(std::string_view s) const { return text_.substr(at_).starts_with(s); }

    void advance(std::size_t bytes) {
        for (std::size_t i = 0; i < bytes && at_ < text_.size(); ++i, ++at_) {
            unsigned char c = static_cast<unsigned char>(text_[at_]);
            if (c == '\n') {
                ++line_;
                column_ = 1;
            } else if ((c & 0xC0) != 0x80) {
                ++column_;  // columns count characters, not bytes
            }
        }
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(Exit::config, fmt::format("{}:{}:{}: {}", path_, line_, column_, what));
    }

    std::string_view text_;
    const std::string& path_;
    State state_ = State::plain;
    // Open arrays ('['), inline tables ('{') and table headers ('h') above the document ('r'),
    // each reading keys or values; never empty (a stray `]` closes nothing).
    struct Frame {
        char kind;
        bool value;
    };
    std::vector<Frame> frames_{{'r', false}};
    bool bare_value_ = false;  // inside a bare value such as 5, true or 1979-05-27
    std::size_t at_ = 0, length_ = 0, line_ = 1, column_ = 1;
};

}  // namespace

void check_toml_text(std::string_view text, const std::string& path) { Scanner(text, path).run(); }

}  // namespace spotctl
