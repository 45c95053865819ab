from decimal import Decimal

import pytest

from tribune.funding import money


def test_minor_units_become_decimals_by_currency_exponent():
    assert money.from_minor(1999, "usd") == Decimal("19.99")
    assert money.from_minor(500, "JPY") == Decimal("500.00")


def test_minor_units_refuse_floats_and_bools():
    with pytest.raises(money.MoneyError):
        money.from_minor(19.99, "USD")  # type: ignore[arg-type]
    with pytest.raises(money.MoneyError):
        money.from_minor(True, "USD")


def test_to_minor_round_trips_and_refuses_fractions_of_a_cent():
    assert money.to_minor(Decimal("19.99"), "USD") == 1999
    with pytest.raises(money.MoneyError):
        money.to_minor(Decimal("1.005"), "USD")


@pytest.mark.parametrize(
    "text", ["", "abc", "0", "-5", "NaN", "Infinity", "1.234", "1,000", "1,2,3", ",5"]
)
def test_parse_amount_rejects_non_positive_or_malformed(text):
    with pytest.raises(money.MoneyError):
        money.parse_amount(text)


def test_parse_amount_accepts_whole_and_cents():
    assert money.parse_amount(" 25 ") == Decimal("25.00")
    assert money.parse_amount("25.5") == Decimal("25.50")


def test_parse_amount_reads_a_decimal_comma():
    assert money.parse_amount("12,50") == Decimal("12.50")
    assert money.parse_amount(" 7,5 ") == Decimal("7.50")


def test_convert_rounds_half_to_even_at_the_cent():
    assert money.convert(Decimal("10.00"), Decimal("1.0825")) == Decimal("10.82")
    assert money.convert(Decimal("10.00"), Decimal("1.0835")) == Decimal("10.84")
    with pytest.raises(money.MoneyError):
        money.convert(Decimal(1), Decimal(0))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "$1,800"), ("de", "1.800\xa0$"), ("fr_CA", "1\xa0800\xa0$\xa0US")],
)
def test_whole_amounts_are_formatted_for_the_locale_without_decimals(locale, expected):
    assert money.format_amount(Decimal("1800.00"), "USD", locale) == expected


def test_amounts_with_cents_keep_two_decimals_and_unknown_locales_fall_back():
    assert money.format_amount(Decimal("12.5"), "USD", "en") == "$12.50"
    assert money.format_amount(Decimal("3"), "EUR", "xx-nowhere") == "€3"


def test_the_maximum_is_eight_digits_of_minor_units_unless_configured():
    assert money.max_amount("USD", {}) == Decimal("999999.99")
    assert money.max_amount("jpy", {}) == Decimal("99999999")
    assert money.max_amount("JPY", {"JPY": 20_000_000}) == Decimal("20000000")
    # Never beyond what the ledger's columns hold.
    assert money.max_amount("USD", {"USD": 10**30}) == Decimal("999999999999.99")


def test_check_amount_names_the_maximum():
    assert money.check_amount(Decimal("999999.99"), "USD", {}) == Decimal("999999.99")
    with pytest.raises(money.AmountTooLargeError, match=r"maximum of 999999\.99 USD"):
        money.check_amount(Decimal("1000000"), "usd", {})


@pytest.mark.parametrize("minor", [10**12 * 100, 10**30, -(10**40)])
def test_huge_minor_units_are_refused_before_any_arithmetic(minor):
    with pytest.raises(money.AmountTooLargeError):
        money.from_minor(minor, "USD")


@pytest.mark.parametrize("text", ["1e30", "1000000000000", "9" * 40])
def test_huge_typed_amounts_are_refused(text):
    with pytest.raises(money.AmountTooLargeError):
        money.parse_amount(text)


def test_a_conversion_beyond_the_columns_is_refused():
    with pytest.raises(money.AmountTooLargeError):
        money.convert(Decimal("999999.99"), Decimal("9999999999"))
