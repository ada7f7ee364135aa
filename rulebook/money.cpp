#include "rulebook/money.hpp"

#include <fmt/format.h>

namespace spotctl::rulebook {
namespace {

struct Exponent {
    const char* currency;
    int digits;
};

// The ISO 4217 currencies whose minor unit is not a hundredth.
constexpr Exponent exponents[] = {
    {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"PYG", 0},
    {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
    {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"TND", 3},
    {"CLF", 4}, {"UYW", 4},
};
constexpr int default_exponent = 2;

}  // namespace

int minor_unit_exponent(std::string_view currency) {
    for (const auto& e : exponents)
        if (currency == e.currency) return e.digits;
    return default_exponent;
}

std::string format_money(long long amount_minor, std::string_view currency) {
    int digits = minor_unit_exponent(currency);
    // Integer arithmetic: no rounding of a stored amount, whatever its size.
    unsigned long long magnitude = amount_minor < 0 ? 0ULL - static_cast<unsigned long long>(amount_minor)
                                                    : static_cast<unsigned long long>(amount_minor);
    unsigned long long scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    std::string major = fmt::format("{}{}", amount_minor < 0 ? "-" : "", magnitude / scale);
    if (digits > 0) major += fmt::format(".{:0{}}", magnitude % scale, digits);
    return fmt::format("{} {}", major, currency);
}

std::string minor_exponent_sql(std::string_view currency_sql) {
    std::string sql = fmt::format("(CASE {}", currency_sql);
    for (const auto& e : exponents) sql += fmt::format(" WHEN '{}' THEN {}", e.currency, e.digits);
    return sql + fmt::format(" ELSE {} END)", default_exponent);
}

std::string major_units_sql(std::string_view amount_minor_sql, std::string_view currency_sql) {
    std::string e = minor_exponent_sql(currency_sql);
    return fmt::format("round(({})::numeric / 10::numeric ^ {}, {})", amount_minor_sql, e, e);
}

std::string money_text_sql(std::string_view amount_minor_sql, std::string_view currency_sql) {
    return fmt::format("({}::text || ' ' || {})", major_units_sql(amount_minor_sql, currency_sql), currency_sql);
}

}  // namespace spotctl::rulebook
