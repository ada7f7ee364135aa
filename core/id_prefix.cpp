#include "core/id_prefix.hpp"

#include <cctype>
#include <fmt/format.h>
#include <functional>

#include "core/errors.hpp"

namespace spotctl {
namespace {

constexpr std::size_t uuid_hex_digits = 32;
constexpr std::size_t candidates_shown = 10;

bool dash_position(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

// The hex digits of `text` in lower case when it is a UUID or a prefix of one; empty otherwise.
std::string prefix_digits(std::string_view text) {
    if (text.size() > 36) return {};
    bool dashed = text.find('-') != std::string_view::npos;
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (dashed && dash_position(i)) {
            if (c != '-') return {};
            continue;
        }
        if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
        digits += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (digits.size() < min_id_prefix || digits.size() > uuid_hex_digits) return {};
    return digits;
}

// 32 hex digits in the 8-4-4-4-12 layout.
std::string as_uuid(const std::string& hex) {
    return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4), hex.substr(20));
}

using Exec = std::function<pg::Result(std::string_view, const pg::Params&)>;

std::string resolve(const Exec& exec, const IdKind& kind, std::string_view text, std::string_view argument) {
    std::string digits = prefix_digits(text);
    if (digits.empty())
        throw Error(Exit::usage,
                    fmt::format("{}: '{}' is not a {} id: give the full id or at least {} of its first hex digits", argument, text,
                                kind.noun, min_id_prefix),
                    kind.list_hint);
    if (digits.size() == uuid_hex_digits) return as_uuid(digits);
    // The ids between the prefix padded with 0 and with f: a range scan of the primary key.
    std::string low = as_uuid(digits + std::string(uuid_hex_digits - digits.size(), '0'));
    std::string high = as_uuid(digits + std::string(uuid_hex_digits - digits.size(), 'f'));
    auto rows = exec(fmt::format("SELECT id::text AS id FROM {} WHERE id BETWEEN $1::uuid AND $2::uuid ORDER BY id LIMIT {}", kind.table,
                                 candidates_shown + 1),
                     pg::params(low, high));
    if (rows.empty())
        throw Error(Exit::data, fmt::format("{}: no {} id starts with '{}'", argument, kind.noun, text), kind.list_hint);
    if (rows.size() == 1) return rows[0].str("id");
    std::string list;
    for (std::size_t i = 0; i < rows.size() && i < candidates_shown; ++i) list += (i ? ", " : "") + rows[i].str("id");
    if (rows.size() > candidates_shown) list += ", ...";
    throw Error(Exit::usage,
                fmt::format("{}: id prefix '{}' is ambiguous: {} {}s start with it", argument, text,
                            rows.size() > candidates_shown ? fmt::format("more than {}", candidates_shown) : std::to_string(rows.size()),
                            kind.noun),
                fmt::format("candidates: {}; type more of the id", list));
}

}  // namespace

bool looks_like_id_or_prefix(std::string_view text) { return !prefix_digits(text).empty(); }

std::string resolve_id(pg::Connection& db, const IdKind& kind, std::string_view text, std::string_view argument) {
    return resolve([&db](std::string_view sql, const pg::Params& p) { return db.exec(sql, p); }, kind, text, argument);
}

std::string resolve_id(pg::Transaction& tx, const IdKind& kind, std::string_view text, std::string_view argument) {
    return resolve([&tx](std::string_view sql, const pg::Params& p) { return tx.exec(sql, p); }, kind, text, argument);
}

}  // namespace spotctl
