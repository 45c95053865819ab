"""IP ranges for bans: parse a moderator's input, test an address (no ORM)."""

from __future__ import annotations

import ipaddress

# An IPv6 client usually holds a whole /64, so a narrower IPv6 ban is evaded by
# changing the last 64 bits (RFC 4291 interface identifiers; RFC 6177).
IPV6_WIDEST_HOST_PREFIX = 64


class NetworkError(ValueError):
    """A range that cannot be used for a ban."""


def normalise(text: str) -> str:
    """The canonical form of an IPv4 address or CIDR, or an IPv6 prefix of
    /64 or wider; a bare IPv6 address becomes its /64.

    Host bits are cleared ("203.0.113.7/24" gives "203.0.113.0/24").  Raises
    NetworkError for anything else, including IPv6 prefixes narrower than /64.
    """
    raw = (text or "").strip()
    try:
        network = ipaddress.ip_network(raw, strict=False)
    except ValueError:
        raise NetworkError(raw) from None
    if network.version == 6:
        if "/" not in raw:
            network = network.supernet(new_prefix=IPV6_WIDEST_HOST_PREFIX)
        elif network.prefixlen > IPV6_WIDEST_HOST_PREFIX:
            raise NetworkError(raw)
    return str(network)


def for_address(address: str) -> str:
    """The range a ban from one comment's address covers: the IPv4 address
    itself (/32), or the IPv6 address's /64."""
    return normalise(str(ipaddress.ip_address(address)))


def contains(network: str, address: str | None) -> bool:
    """Whether `address` lies in `network` (False for a missing or bad one)."""
    if not address or not network:
        return False
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(network)
    except ValueError:
        return False
