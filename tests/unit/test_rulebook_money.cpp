#include <catch2/catch.hpp>

#include <limits>

#include "rulebook/money.hpp"

using namespace spotctl::rulebook;

TEST_CASE("money: major units with the currency, decimals from its ISO 4217 exponent", "[rulebook][money]") {
    CHECK(format_money(12000, "INR") == "120.00 INR");
    CHECK(format_money(5, "INR") == "0.05 INR");
    CHECK(format_money(-1250, "EUR") == "-12.50 EUR");
    CHECK(format_money(500, "JPY") == "500 JPY");
    CHECK(format_money(1234, "KWD") == "1.234 KWD");
    CHECK(format_money(-5, "BHD") == "-0.005 BHD");
    CHECK(format_money(0, "USD") == "0.00 USD");
    // The extremes of a bigint: no overflow in the sign or the division.
    CHECK(format_money(std::numeric_limits<long long>::min(), "INR") == "-92233720368547758.08 INR");
    CHECK(format_money(std::numeric_limits<long long>::max(), "JPY") == "9223372036854775807 JPY");
}

TEST_CASE("money: the exponent table, and its SQL form naming every currency in it", "[rulebook][money]") {
    CHECK(minor_unit_exponent("INR") == 2);
    CHECK(minor_unit_exponent("XXX") == 2);  // not in the table: the common case
    CHECK(minor_unit_exponent("KRW") == 0);
    CHECK(minor_unit_exponent("OMR") == 3);
    CHECK(minor_unit_exponent("CLF") == 4);
    auto sql = minor_exponent_sql("p.currency");
    CHECK(sql.find("CASE p.currency") != std::string::npos);
    CHECK(sql.find("WHEN 'JPY' THEN 0") != std::string::npos);
    CHECK(sql.find("WHEN 'KWD' THEN 3") != std::string::npos);
    CHECK(sql.find("ELSE 2 END") != std::string::npos);
}
