import pytest

from tribune.discussion import networks


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("203.0.113.7", "203.0.113.7/32"),
        ("203.0.113.7/24", "203.0.113.0/24"),
        (" 10.0.0.0/8 ", "10.0.0.0/8"),
        ("2001:db8:1:2::5", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::/64", "2001:db8:1:2::/64"),
        ("2001:db8::/48", "2001:db8::/48"),
    ],
)
def test_ranges_are_normalised(raw, expected):
    assert networks.normalise(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "nonsense", "300.1.1.1", "2001:db8::/80", "1.2.3.4/33"]
)
def test_unusable_ranges_are_refused(raw):
    with pytest.raises(networks.NetworkError):
        networks.normalise(raw)


@pytest.mark.parametrize(
    ("network", "address", "inside"),
    [
        ("203.0.113.0/24", "203.0.113.77", True),
        ("203.0.113.0/24", "203.0.114.1", False),
        ("2001:db8:1:2::/64", "2001:db8:1:2:ffff:ffff:ffff:1", True),
        ("2001:db8:1:2::/64", "2001:db8:1:3::1", False),
        ("203.0.113.0/24", "2001:db8::1", False),
        ("203.0.113.0/24", None, False),
        ("203.0.113.0/24", "garbage", False),
    ],
)
def test_contains(network, address, inside):
    assert networks.contains(network, address) is inside


def test_a_comment_address_bans_itself_or_its_ipv6_64():
    assert networks.for_address("198.51.100.4") == "198.51.100.4/32"
    assert networks.for_address("2001:db8:a:b:c:d:e:f") == "2001:db8:a:b::/64"
