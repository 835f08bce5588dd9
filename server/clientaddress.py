"""Who is asking, by network address: the TCP peer, or what a trusted proxy says it saw.

Limits and lockouts are keyed by this, so it must not be a header anyone can
write. ``X-Forwarded-For`` is read only when the peer is a configured trusted
proxy, and then from the right: each trusted hop appends the address it saw,
so the rightmost address that is not a trusted proxy is the client (whatever
the client wrote further left is ignored). IPv6 clients are keyed by their
/64, which one subscriber usually holds whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.types import Scope

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> IPAddress | None:
    try:
        found = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def address_key(address: IPAddress | str) -> str:
    """The key a limit counts under: an IPv4 address, an IPv6 /64, or the peer's name."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TrustedProxies:
        """Addresses or CIDR networks; a ValueError names the first that is neither."""
        return cls(tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries))

    def trusts(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)

    def client(self, scope: Scope) -> str:
        """The client's address key for this request."""
        peer_text = str((scope.get("client") or ("unknown",))[0])
        peer = _address(peer_text)
        if peer is None:
            return peer_text[:64]  # not an IP (a test client, a Unix socket): its own key
        client = peer
        if self.networks and self.trusts(peer):
            hops = [
                hop
                for name, value in scope.get("headers", [])
                if name == b"x-forwarded-for"
                for hop in value.decode("latin-1").split(",")
            ]
            for hop in reversed(hops):
                seen = _address(hop)
                if seen is None:
                    break  # garbage left of here came from the client: keep the last hop
                client = seen
                if not self.trusts(seen):
                    break
        return address_key(client)
