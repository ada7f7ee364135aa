#pragma once
// A PostgreSQL lexer just deep enough to split a script into top-level statements the way
// psql does: it knows every kind of quoting and comment, so a ';' inside one never splits.
#include <cstddef>
#include <string_view>
#include <string>
#include <vector>

namespace spotctl::sql {

struct Statement {
    std::string text;    // as written, without the terminating ';' and without leading or
                         // trailing whitespace and comments (comments inside are kept)
    std::size_t line;    // 1-based line of the statement's first significant character
    std::size_t column;  // 1-based column of it, in bytes
    std::size_t offset;  // byte offset of it in the script
};

// Splits a PostgreSQL script into top-level statements. Empty statements and statements
// made only of comments are dropped; a last statement without ';' is kept.
// Throws spotctl::Error(Exit::data) on an unterminated string, quoted identifier,
// dollar quote or block comment.
std::vector<Statement> split(std::string_view script);

enum class TokenKind {
    word,               // keyword or unquoted identifier, e.g. CREATE, my_table
    quoted_identifier,  // "My Table" or U&"..."
    string,             // '...', E'...', U&'...' (a B/X/N prefix is a separate word token)
    dollar_string,      // $$...$$ or $tag$...$tag$
    number,             // 42, 1.5e3
    parameter,          // $1
    symbol,             // any other single byte: ( ) , . ; = and operator characters
};

struct Token {
    TokenKind kind;
    std::size_t offset;  // byte offset in the lexed text
    std::size_t length;  // in bytes, quotes included
};

// Lexes text into tokens, skipping whitespace and comments. Throws like split().
std::vector<Token> tokenize(std::string_view text);

}  // namespace spotctl::sql
