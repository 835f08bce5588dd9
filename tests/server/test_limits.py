"""Rate limits and lockout as an attacker and an officer meet them (issue 14 item 9).

A real server on loopback, on SQLite and PostgreSQL; clients come from
different loopback addresses (127.0.0.0/8 is all ours), as PCs and an
attacker would. Two servers on one database stand for two workers.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from server.cli import main
from server.clientaddress import TrustedProxies
from server.config import Lockout, RateLimit
from server.inprocess import RunningServer, start_server
from server.seed import DEMO_OFFICE, demo_password
from tests.server.conftest import API, Clock

OFFICER_PC = "127.0.0.2"
OFFICER_LAPTOP = "127.0.0.3"
ATTACKER = "127.0.0.66"


class Servers:
    """Start servers (workers) on the seeded database; all stopped at the end."""

    def __init__(self, url: str, clock: Clock) -> None:
        self.url, self.clock = url, clock
        self.running: list[RunningServer] = []
        self.clients: list[httpx.Client] = []

    def start(self, **overrides: Any) -> RunningServer:
        overrides.setdefault("rate_limit", None)
        server = start_server(self.url, seed=False, clock=self.clock, **overrides)
        self.running.append(server)
        return server

    def client(self, server: RunningServer, address: str = OFFICER_PC) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=address)
        client = httpx.Client(base_url=server.url, transport=transport, timeout=30)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        for server in self.running:
            server.stop()


@pytest.fixture
def servers(seeded_url: str, clock: Clock) -> Iterator[Servers]:
    made = Servers(seeded_url, clock)
    yield made
    made.close()


def login(client: httpx.Client, username: str, password: str, device: str = "pc-1") -> Any:
    return client.post(f"{API}/auth/token", json={
        "username": username, "password": password, "device_id": device,
        "device_name": "PC kantor"})


def right(client: httpx.Client, username: str = "petugas1", device: str = "pc-1") -> Any:
    return login(client, username, demo_password(username), device)


def code(response: Any) -> str:
    found: str = response.json()["error"]["code"]
    return found


# --- requests --------------------------------------------------------------------


def test_a_random_authorization_header_does_not_dodge_the_address_limit(
    servers: Servers,
) -> None:
    server = servers.start(rate_limit=RateLimit(per_address=5, per_account=100))
    attacker = servers.client(server, ATTACKER)
    answers = [
        attacker.get(f"{API}/offices/{DEMO_OFFICE}/digest",
                     headers={"Authorization": f"Bearer {secrets.token_urlsafe(32)}"})
        for _ in range(8)
    ]
    assert [a.status_code for a in answers] == [401] * 5 + [429] * 3
    assert code(answers[-1]) == "rate_limited"
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    # The officer's PC at another address is not held back by it.
    assert servers.client(server, OFFICER_PC).get(f"{API}/health").status_code == 200


def test_every_worker_counts_into_the_same_limit(servers: Servers) -> None:
    limit = RateLimit(per_address=6, per_account=100)
    workers = [servers.start(rate_limit=limit), servers.start(rate_limit=limit)]
    clients = [servers.client(w, ATTACKER) for w in workers]
    statuses = [clients[i % 2].get(f"{API}/health").status_code for i in range(10)]
    assert statuses == [200] * 6 + [429] * 4


def test_an_account_is_limited_across_its_devices_and_addresses(
    servers: Servers, clock: Clock
) -> None:
    server = servers.start(rate_limit=RateLimit(per_address=1000, per_account=6))
    pc, laptop = servers.client(server, OFFICER_PC), servers.client(server, OFFICER_LAPTOP)
    tokens = [right(pc, device="pc-1").json(), right(laptop, device="laptop").json()]
    headers = [{"Authorization": f"Bearer {t['access_token']}"} for t in tokens]
    digest = f"{API}/offices/{DEMO_OFFICE}/digest"
    statuses = [(pc, laptop)[i % 2].get(digest, headers=headers[i % 2]).status_code
                for i in range(8)]
    assert statuses == [200] * 6 + [429] * 2
    # A colleague's account is its own.
    colleague = right(pc, "petugas2").json()["access_token"]
    assert pc.get(digest, headers={"Authorization": f"Bearer {colleague}"}).status_code == 200
    clock.advance(seconds=60)
    assert pc.get(digest, headers=headers[0]).status_code == 200


def test_forwarded_for_names_the_client_only_from_a_trusted_proxy(servers: Servers) -> None:
    limit = RateLimit(per_address=3, per_account=100)
    untrusted = servers.client(servers.start(rate_limit=limit), ATTACKER)
    # Anyone may write the header: from an untrusted peer it changes nothing.
    statuses = [untrusted.get(f"{API}/health", headers={"X-Forwarded-For": f"10.0.0.{i}"})
                .status_code for i in range(5)]
    assert statuses == [200] * 3 + [429] * 2

    proxy = servers.client(servers.start(rate_limit=limit, trusted_proxies=("127.0.0.0/8",)),
                           "127.0.0.5")

    def via_proxy(chain: str) -> int:
        return int(proxy.get(f"{API}/health", headers={"X-Forwarded-For": chain}).status_code)

    # What the client wrote left of the proxy's own entry does not make it someone new.
    assert [via_proxy(f"{i}.{i}.{i}.{i}, 192.0.2.7") for i in range(1, 6)] == \
        [200] * 3 + [429] * 2
    assert via_proxy("192.0.2.8") == 200  # another office behind the same proxy


# --- failed logins -----------------------------------------------------------------


def test_an_attackers_failures_never_lock_the_officer_out_of_her_own_pc(
    servers: Servers, clock: Clock
) -> None:
    server = servers.start()
    pc, attacker = servers.client(server, OFFICER_PC), servers.client(server, ATTACKER)
    assert right(pc).status_code == 200  # her PC has logged in before
    for _ in range(10):
        assert login(attacker, "petugas1", "tebakan").status_code == 401
        clock.advance(seconds=5)
    refused = right(attacker)
    assert refused.status_code == 423 and code(refused) == "account_locked"
    assert int(refused.headers["Retry-After"]) > 800
    for _ in range(3):  # ten more requests would have locked her for 15 minutes, again
        assert right(pc).status_code == 200


def test_ten_failures_lock_that_name_for_that_address_only(
    servers: Servers, clock: Clock
) -> None:
    server = servers.start()
    attacker, elsewhere = servers.client(server, ATTACKER), servers.client(server, "127.0.0.9")
    for _ in range(10):
        assert login(attacker, "petugas1", "tebakan").status_code == 401
    assert code(right(attacker)) == "account_locked"
    assert right(elsewhere, device="new-pc").status_code == 200
    assert right(attacker, "petugas2").status_code == 200  # a colleague at that address
    clock.advance(minutes=15, seconds=1)
    assert right(attacker).status_code == 200


def test_failures_from_many_addresses_slow_strangers_but_not_known_pcs(
    servers: Servers, clock: Clock
) -> None:
    server = servers.start()
    pc = servers.client(server, OFFICER_PC)
    assert right(pc, device="pc-1").status_code == 200
    for n in range(11):  # 4 addresses, at most 3 guesses each: none is locked
        guesser = servers.client(server, f"127.0.1.{n // 3}")
        assert login(guesser, "petugas1", "x", device=f"d{n}").status_code == 401
    stranger = login(servers.client(server, "127.0.2.1"), "petugas1", "x", device="d")
    assert stranger.status_code == 429 and code(stranger) == "rate_limited"
    wait = int(stranger.headers["Retry-After"])
    assert 2 <= wait <= 300
    # Her own PC, and her known device from a new address, go straight in.
    assert right(pc, device="pc-1").status_code == 200
    assert right(servers.client(server, "127.0.3.1"), device="pc-1").status_code == 200
    # The delay ends: a stranger may try again, once.
    clock.advance(seconds=wait)
    assert login(servers.client(server, "127.0.2.1"), "petugas1", "x", "d").status_code == 401
    assert login(servers.client(server, "127.0.2.2"), "petugas1", "x", "e").status_code == 429


def test_parallel_guesses_cannot_slip_past_the_count(servers: Servers) -> None:
    server = servers.start()
    attacker = servers.client(server, ATTACKER)
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: login(attacker, "petugas1", "x").status_code,
                                 range(24)))
    assert statuses.count(401) <= 10
    assert statuses.count(401) + statuses.count(423) == 24


def test_an_address_guessing_many_names_is_slowed(servers: Servers) -> None:
    server = servers.start(lockout=Lockout(address_failures=5))
    attacker = servers.client(server, ATTACKER)
    for n in range(5):
        assert login(attacker, f"nama{n}", "x").status_code == 401
    sprayed = login(attacker, "petugas1", "x")
    assert sprayed.status_code == 429 and code(sprayed) == "rate_limited"
    assert right(servers.client(server, OFFICER_PC)).status_code == 200


# --- whose address -------------------------------------------------------------------


def _scope(peer: str, *forwarded: str) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"client": (peer, 50000), "headers": headers}


def test_the_client_address_is_read_from_the_right_past_trusted_hops_only() -> None:
    proxies = TrustedProxies.parse(["10.0.0.0/24", "127.0.0.1"])
    assert proxies.client(_scope("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert proxies.client(_scope("10.0.0.5", "1.1.1.1, 198.51.100.7")) == "198.51.100.7"
    # Two headers are one list; a trusted hop in between is skipped.
    assert proxies.client(_scope("127.0.0.1", "1.1.1.1", "198.51.100.7, 10.0.0.9")) \
        == "198.51.100.7"
    # Garbage from the client stops the walk at the last address a proxy vouched for.
    assert proxies.client(_scope("10.0.0.5", "bukan-alamat, 10.0.0.6")) == "10.0.0.6"
    # An IPv6 client is its /64; an IPv4-mapped one is IPv4.
    assert proxies.client(_scope("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert proxies.client(_scope("::ffff:198.51.100.3")) == "198.51.100.3"


def test_a_trusted_proxy_that_is_no_address_stops_the_server_with_a_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run", "--trusted-proxy", "nginx-kantor"]) == 2
    assert "--trusted-proxy" in capsys.readouterr().err
