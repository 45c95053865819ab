"""Fee cover arithmetic and PayPal links: pure functions, checked exhaustively."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tribune.funding import fees, paylinks

STRIPE = fees.FeeRule(Decimal("2.9"), Decimal("0.30"))
PAYPAL = fees.FeeRule(Decimal("3.49"), Decimal("0.49"))


def test_covering_a_ten_dollar_card_gift():
    cover = fees.cover_for(Decimal("10"), STRIPE)
    assert cover == Decimal("0.61")
    gross = Decimal("10") + cover
    assert fees.fee_for(gross, STRIPE) == Decimal("0.61")
    assert gross - fees.fee_for(gross, STRIPE) == Decimal("10.00")


@given(
    gift=st.decimals(min_value=1, max_value=10000, places=2),
    percent=st.decimals(min_value=0, max_value=20, places=2),
    fixed=st.decimals(min_value=0, max_value=2, places=2),
)
def test_the_cover_is_the_smallest_that_leaves_the_whole_gift(gift, percent, fixed):
    rule = fees.FeeRule(percent, fixed)
    cover = fees.cover_for(gift, rule)
    gross = gift + cover
    assert gross - fees.fee_for(gross, rule) >= gift
    smaller = gross - Decimal("0.01")
    assert smaller - fees.fee_for(smaller, rule) < gift
    assert cover == cover.quantize(Decimal("0.01"))


def test_zero_decimal_currencies_round_to_whole_units():
    cover = fees.cover_for(
        Decimal("1000"), fees.FeeRule(Decimal("3.6"), Decimal(0)), places=0
    )
    assert cover == Decimal("37")


def test_a_rule_beyond_reason_is_refused():
    with pytest.raises(ValueError):
        fees.FeeRule(Decimal("100"), Decimal(0))
    with pytest.raises(ValueError):
        fees.FeeRule(Decimal("1"), Decimal("-1"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://paypal.me/valleyledger", "https://paypal.me/valleyledger/25.00USD"),
        (
            "https://www.paypal.com/donate/?hosted_button_id=ABC",
            "https://www.paypal.com/donate/?hosted_button_id=ABC&amount=25.00&currency_code=USD",
        ),
        (
            "https://www.paypal.com/cgi-bin/webscr?cmd=_donations&business=x&amount=5",
            "https://www.paypal.com/cgi-bin/webscr?cmd=_donations&business=x&amount=25.00&currency_code=USD",
        ),
        (
            "https://paypal.example/donate/valley",
            "https://paypal.example/donate/valley",
        ),
        ("https://paypal.me/valley/10", "https://paypal.me/valley/10"),
    ],
)
def test_paypal_links_take_the_amount_where_they_can(url, expected):
    assert paylinks.paypal_link(url, Decimal("25"), "usd") == expected
