#pragma once
// Ids as people type them: wherever a UUID is taken, a unique prefix of it works, git-style (at
// least min_id_prefix hex digits, with or without the dashes). A prefix that names no row is a
// data error (65); one that names several is a usage error (64) listing the candidates, so the
// person types a few more characters. A full UUID is passed through without a query.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/pg.hpp"

namespace spotctl {

constexpr std::size_t min_id_prefix = 6;

// A table whose uuid primary key `id` people name, and how messages speak of it.
struct IdKind {
    const char* table;      // "moderation_items" (a constant, never user input)
    const char* noun;       // "moderation item"
    const char* list_hint;  // "list them with `spotctl moderate queue`"
};

// Whether `text` is a UUID or could be the start of one (at least min_id_prefix hex digits,
// dashes only where a UUID has them, or none at all). No database needed: for CLI validators.
bool looks_like_id_or_prefix(std::string_view text);

// The full id (lower case) of the one row of `kind` whose id starts with `text`. `argument`
// names where the text came from ("id", "--subject") in messages. Error(Exit::usage) when the
// text cannot be an id or the prefix is ambiguous; Error(Exit::data) when no id starts with it.
std::string resolve_id(pg::Connection& db, const IdKind& kind, std::string_view text, std::string_view argument);
std::string resolve_id(pg::Transaction& tx, const IdKind& kind, std::string_view text, std::string_view argument);

}  // namespace spotctl
