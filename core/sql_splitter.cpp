#include "core/sql_splitter.hpp"

#include <optional>

#include "core/errors.hpp"

namespace spotctl::sql {
namespace {

bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// PostgreSQL treats every byte >= 0x80 as an identifier letter, so multibyte names need no
// UTF-8 decoding (and invalid UTF-8 cannot confuse the lexer).
bool is_ident_start(unsigned char c) { return is_alpha(c) || c == '_' || c >= 0x80; }
bool is_tag_char(unsigned char c) { return is_ident_start(c) || is_digit(c); }
bool is_ident_char(unsigned char c) { return is_tag_char(c) || c == '$'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Compares a word with a lowercase keyword, ignoring ASCII case.
bool is_keyword(std::string_view word, std::string_view keyword) {
    if (word.size() != keyword.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (lower(word[i]) != keyword[i]) return false;
    return true;
}

struct Position {
    std::size_t line;
    std::size_t column;
};

// Turns byte offsets into line/column. Offsets asked for only grow, so the whole script is
// scanned once however many statements it has.
class LineTracker {
public:
    explicit LineTracker(std::string_view text) : text_(text) {}

    Position advance_to(std::size_t offset) {
        for (; pos_ < offset && pos_ < text_.size(); ++pos_) {
            if (text_[pos_] == '\n') {
                ++line_;
                line_start_ = pos_ + 1;
            }
        }
        return {line_, offset - line_start_ + 1};
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t line_start_ = 0;
};

[[noreturn]] void throw_unterminated(std::string_view what, std::string_view text, std::size_t start) {
    const Position p = LineTracker(text).advance_to(start);
    throw Error(Exit::data,
                "unterminated " + std::string(what) + " starting at line " + std::to_string(p.line) +
                    " column " + std::to_string(p.column),
                "close it, or check the quoting before it");
}

class Lexer {
public:
    explicit Lexer(std::string_view text) : text_(text) {}

    std::optional<Token> next() {
        skip_whitespace_and_comments();
        if (pos_ >= text_.size()) return std::nullopt;
        const std::size_t start = pos_;
        const unsigned char c = static_cast<unsigned char>(text_[start]);
        if (c == '\'') {
            pos_ = end_of_quoted(start, start, '\'');
            return make(TokenKind::string, start);
        }
        if (c == '"') {
            pos_ = end_of_quoted(start, start, '"');
            return make(TokenKind::quoted_identifier, start);
        }
        if (c == '$') return dollar_token(start);
        if (is_digit(c)) {
            pos_ = start + 1;
            while (pos_ < text_.size() && (is_tag_char(byte(pos_)) || text_[pos_] == '.')) ++pos_;
            return make(TokenKind::number, start);
        }
        if (is_ident_start(c)) return word_token(start);
        pos_ = start + 1;
        return make(TokenKind::symbol, start);
    }

private:
    // The byte at i, or 0 past the end: callers only compare it with non-NUL characters.
    unsigned char byte(std::size_t i) const {
        return i < text_.size() ? static_cast<unsigned char>(text_[i]) : 0;
    }

    Token make(TokenKind kind, std::size_t start) const { return {kind, start, pos_ - start}; }

    void skip_whitespace_and_comments() {
        while (pos_ < text_.size()) {
            const unsigned char c = byte(pos_);
            if (is_space(c)) {
                ++pos_;
            } else if (c == '-' && byte(pos_ + 1) == '-') {
                // PostgreSQL ends a -- comment at either \n or \r.
                const std::size_t eol = text_.find_first_of("\r\n", pos_);
                pos_ = eol == std::string_view::npos ? text_.size() : eol;
            } else if (c == '/' && byte(pos_ + 1) == '*') {
                skip_block_comment();
            } else {
                return;
            }
        }
    }

    // Block comments nest in PostgreSQL (unlike the SQL standard): count the depth.
    void skip_block_comment() {
        const std::size_t start = pos_;
        std::size_t depth = 1;
        std::size_t i = pos_ + 2;
        while (i < text_.size()) {
            if (byte(i) == '/' && byte(i + 1) == '*') {
                ++depth;
                i += 2;
            } else if (byte(i) == '*' && byte(i + 1) == '/') {
                i += 2;
                if (--depth == 0) {
                    pos_ = i;
                    return;
                }
            } else {
                ++i;
            }
        }
        throw_unterminated("block comment", text_, start);
    }

    // Standard-conforming quoting: the quote character doubled is an escape, backslash is
    // not special. `open` is the opening quote; `start` is where the token (and any prefix)
    // began, for the error position. Returns the offset just past the closing quote.
    std::size_t end_of_quoted(std::size_t start, std::size_t open, char quote) const {
        std::size_t i = open + 1;
        for (;;) {
            const std::size_t close = text_.find(quote, i);
            if (close == std::string_view::npos)
                throw_unterminated(quote == '"' ? "quoted identifier" : "quoted string", text_, start);
            if (byte(close + 1) != static_cast<unsigned char>(quote)) return close + 1;
            i = close + 2;
        }
    }

    // E'...': a backslash escapes the next byte, so \' does not end the string.
    std::size_t end_of_escape_string(std::size_t start, std::size_t open) const {
        std::size_t i = open + 1;
        while (i < text_.size()) {
            const unsigned char c = byte(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (byte(i + 1) != '\'') return i + 1;
                i += 2;
            } else {
                ++i;
            }
        }
        throw_unterminated("quoted string", text_, start);
    }

    // If a dollar-quote delimiter ($$ or $tag$) starts at `start`, the offset just past it.
    std::optional<std::size_t> dollar_delimiter_end(std::size_t start) const {
        std::size_t i = start + 1;
        if (byte(i) == '$') return i + 1;
        if (!is_ident_start(byte(i))) return std::nullopt;  // tags cannot start with a digit
        while (is_tag_char(byte(i))) ++i;
        if (byte(i) == '$') return i + 1;
        return std::nullopt;
    }

    Token dollar_token(std::size_t start) {
        if (is_digit(byte(start + 1))) {  // $1: a parameter, not a quote
            pos_ = start + 1;
            while (is_digit(byte(pos_))) ++pos_;
            return make(TokenKind::parameter, start);
        }
        const std::optional<std::size_t> body = dollar_delimiter_end(start);
        if (!body) {
            pos_ = start + 1;
            return make(TokenKind::symbol, start);
        }
        // Any other tag inside the body is plain text, which is what lets quotes nest. The
        // search stays linear: a tag holds no '$', so candidate matches can never overlap.
        const std::string_view delimiter = text_.substr(start, *body - start);
        const std::size_t close = text_.find(delimiter, *body);
        if (close == std::string_view::npos) throw_unterminated("dollar-quoted string", text_, start);
        pos_ = close + delimiter.size();
        return make(TokenKind::dollar_string, start);
    }

    // A word, or a string whose one-letter prefix changes its quoting (E'', U&'', U&"").
    Token word_token(std::size_t start) {
        std::size_t end = start + 1;
        while (is_ident_char(byte(end))) ++end;
        if (end == start + 1) {
            const char prefix = lower(text_[start]);
            if (prefix == 'e' && byte(end) == '\'') {
                pos_ = end_of_escape_string(start, end);
                return make(TokenKind::string, start);
            }
            if (prefix == 'u' && byte(end) == '&' && byte(end + 1) == '\'') {
                pos_ = end_of_quoted(start, end + 1, '\'');
                return make(TokenKind::string, start);
            }
            if (prefix == 'u' && byte(end) == '&' && byte(end + 1) == '"') {
                pos_ = end_of_quoted(start, end + 1, '"');
                return make(TokenKind::quoted_identifier, start);
            }
        }
        pos_ = end;
        return make(TokenKind::word, start);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

// Decides which ';' end a statement. Like psql, it ignores ';' inside parentheses (CREATE
// RULE ... DO (a; b)) and inside a SQL-standard function body, BEGIN ATOMIC ... END, where
// CASE ... END must be counted so its END does not close the body early.
class StatementBoundary {
public:
    // Feeds the next token; true when it is a ';' that ends the current statement.
    bool ends_statement(const Token& token, std::string_view script) {
        const bool after_begin = after_begin_;
        after_begin_ = false;
        if (token.kind == TokenKind::symbol) return symbol_ends_statement(script[token.offset]);
        if (token.kind == TokenKind::word) track_word(script.substr(token.offset, token.length), after_begin);
        return false;
    }

private:
    bool symbol_ends_statement(char c) {
        if (c == '(') {
            ++parens_;
        } else if (c == ')') {
            if (parens_ > 0) --parens_;
        } else if (c == ';') {
            return parens_ == 0 && atomic_depth_ == 0;
        }
        return false;
    }

    void track_word(std::string_view word, bool after_begin) {
        if (atomic_depth_ > 0) {
            if (is_keyword(word, "case")) ++atomic_depth_;
            else if (is_keyword(word, "end")) --atomic_depth_;
        } else if (after_begin && is_keyword(word, "atomic")) {
            atomic_depth_ = 1;
        } else {
            after_begin_ = is_keyword(word, "begin");
        }
    }

    std::size_t parens_ = 0;
    std::size_t atomic_depth_ = 0;
    bool after_begin_ = false;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    Lexer lexer(text);
    while (const std::optional<Token> token = lexer.next()) tokens.push_back(*token);
    return tokens;
}

std::vector<Statement> split(std::string_view script) {
    std::vector<Statement> statements;
    Lexer lexer(script);
    LineTracker lines(script);
    StatementBoundary boundary;
    // The statement runs from its first token to the end of its last one, so whitespace and
    // comments around it fall away while comments between its tokens stay.
    std::optional<std::size_t> start;
    std::size_t end = 0;
    auto finish_statement = [&] {
        if (!start) return;
        const Position p = lines.advance_to(*start);
        statements.push_back({std::string(script.substr(*start, end - *start)), p.line, p.column, *start});
        start.reset();
    };
    while (const std::optional<Token> token = lexer.next()) {
        if (boundary.ends_statement(*token, script)) {
            finish_statement();
            continue;
        }
        if (!start) start = token->offset;
        end = token->offset + token->length;
    }
    finish_statement();
    return statements;
}

}  // namespace spotctl::sql
