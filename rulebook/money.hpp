#pragma once
// Money as a person reads it: payments store integer minor units (amount_minor) and an ISO 4217
// code; people see major units with the currency ("120.00 INR"), the number of decimals being
// the currency's minor-unit exponent (0 for JPY, 3 for KWD). Only raw exports keep amount_minor.
// The C++ and the SQL form read the same exponent table, so a report and `fraud show` agree.
#include <string>
#include <string_view>

namespace spotctl::rulebook {

// ISO 4217 minor-unit exponent of `currency`: 2 unless the table says otherwise.
int minor_unit_exponent(std::string_view currency);

// "120.00 INR" for 12000 minor units of INR; "-5.500 KWD"; "500 JPY".
std::string format_money(long long amount_minor, std::string_view currency);

// SQL for the exponent of the currency in the text expression `currency_sql`.
std::string minor_exponent_sql(std::string_view currency_sql);

// SQL for `amount_minor_sql` in major units (numeric with the exponent's decimals).
std::string major_units_sql(std::string_view amount_minor_sql, std::string_view currency_sql);

// SQL for the text format_money gives, from an amount and a currency column.
std::string money_text_sql(std::string_view amount_minor_sql, std::string_view currency_sql);

}  // namespace spotctl::rulebook
