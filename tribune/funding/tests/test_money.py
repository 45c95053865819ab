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


@pytest.mark.parametrize("text", ["", "abc", "0", "-5", "NaN", "Infinity", "1.234"])
def test_parse_amount_rejects_non_positive_or_malformed(text):
    with pytest.raises(money.MoneyError):
        money.parse_amount(text)


def test_parse_amount_accepts_whole_and_cents():
    assert money.parse_amount(" 25 ") == Decimal("25.00")
    assert money.parse_amount("25.5") == Decimal("25.50")


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
