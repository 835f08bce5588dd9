"""The fault proxy against a real loopback server, then the transport through it."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from sync.transport import OfflineError, TransferInterrupted, Transport
from tests.faults.proxy import FaultProxy
from tests.helpers.fakes import Sleeps
from tests.helpers.scripted_http import Answer, ScriptedServer, Seen

BIG = bytes(range(256)) * 400  # 102,400 bytes
STALL = 1.0


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    # Compare identities, not counts: threads of earlier tests may end meanwhile.
    before = set(threading.enumerate())
    yield
    assert [t.name for t in threading.enumerate() if t not in before] == []


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        srv.default = Answer(body=BIG)
        yield srv



@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def get(http: requests.Session, proxy: FaultProxy, path: str = "/f", **kw: object) -> bytes:
    response = http.get(proxy.url + path, timeout=kw.pop("timeout", 5), **kw)  # type: ignore[arg-type]
    return response.content


# --- the proxy itself ------------------------------------------------------------------


def test_pass_through_forwards_and_counts_bytes_each_way(
    server: ScriptedServer, proxy: FaultProxy, http: requests.Session
) -> None:
    assert get(http, proxy) == BIG
    http.post(proxy.url + "/p", data=b"q" * 5000, timeout=5)
    assert [s.method for s in server.seen] == ["GET", "POST"]
    assert server.seen[1].body == b"q" * 5000
    assert proxy.bytes_up > 5000 and proxy.bytes_down > 2 * len(BIG)
    assert proxy.requests_forwarded == 2 and proxy.connections == 1  # kept alive


def test_a_one_time_cut_breaks_one_response_at_exactly_n_bytes(
    proxy: FaultProxy, http: requests.Session
) -> None:
    proxy.cut_after(10_000, "down")
    with pytest.raises(requests.exceptions.RequestException):
        get(http, proxy)
    assert proxy.bytes_down == 10_000
    assert get(http, proxy) == BIG  # once only


def test_a_recurring_cut_breaks_every_connection(proxy: FaultProxy, http: requests.Session) -> None:
    proxy.cut_after(10_000, "down", every=True)
    for _ in range(3):
        with pytest.raises(requests.exceptions.RequestException):
            get(http, proxy)
    assert proxy.connections == 3 and proxy.bytes_down == 30_000


def test_a_cut_on_the_way_up_leaves_the_server_without_a_whole_request(
    server: ScriptedServer, proxy: FaultProxy, http: requests.Session
) -> None:
    proxy.cut_after(1000, "up")
    with pytest.raises(requests.exceptions.RequestException):
        http.post(proxy.url + "/p", data=b"q" * 50_000, timeout=5)
    assert server.seen == [] and proxy.bytes_up == 1000


def test_latency_delays_each_way(proxy: FaultProxy, http: requests.Session) -> None:
    proxy.set_latency(0.3)
    started = time.monotonic()
    assert get(http, proxy) == BIG
    assert time.monotonic() - started >= 0.6


def test_throttle_drips_at_the_given_rate(proxy: FaultProxy, http: requests.Session) -> None:
    proxy.throttle(200_000)
    started = time.monotonic()
    assert get(http, proxy) == BIG
    assert time.monotonic() - started >= 0.4  # 100 KiB at 200 kB/s


def test_network_down_refuses_then_comes_back_on_the_same_port(
    proxy: FaultProxy, http: requests.Session
) -> None:
    port = proxy.port
    proxy.network_down("refuse")
    with pytest.raises(requests.exceptions.ConnectionError, match="refused"):
        get(http, proxy)
    proxy.network_up()
    assert proxy.port == port and get(http, proxy) == BIG


def test_network_down_by_reset(proxy: FaultProxy, http: requests.Session) -> None:
    proxy.network_down("reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        get(http, proxy)
    proxy.pass_through()
    assert get(http, proxy) == BIG


def test_a_blackhole_answers_nothing_until_the_network_is_up(
    proxy: FaultProxy, http: requests.Session
) -> None:
    proxy.network_down("blackhole")
    with pytest.raises(requests.exceptions.Timeout):
        get(http, proxy, timeout=0.5)
    proxy.network_up()
    assert get(http, proxy) == BIG


def test_canned_errors_answer_requests_without_forwarding_even_on_a_kept_connection(
    server: ScriptedServer, proxy: FaultProxy, http: requests.Session
) -> None:
    assert get(http, proxy) == BIG
    proxy.fail_next(2, 429, retry_after=5)
    first = http.post(proxy.url + "/mutations", json={"a": 1}, timeout=5)
    second = http.get(proxy.url + "/f", timeout=5)
    assert proxy.connections == 2  # the first canned answer came on the kept-alive connection
    for response in (first, second):
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "5"
        assert response.json()["error"]["code"] == "rate_limited"
    assert len(server.seen) == 1 and proxy.canned_answers == 2
    assert get(http, proxy) == BIG and len(server.seen) == 2


def test_truncate_passes_the_head_and_part_of_the_body(
    server: ScriptedServer, proxy: FaultProxy, http: requests.Session
) -> None:
    proxy.truncate_next(keep=500)
    response = http.get(proxy.url + "/f", timeout=5, stream=True)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(BIG)
    with pytest.raises(requests.exceptions.RequestException):
        response.content  # noqa: B018
    assert len(server.seen) == 1
    assert get(http, proxy) == BIG


def proxy_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("fault-proxy")]


def test_closing_with_frozen_and_live_connections_leaks_no_thread(server: ScriptedServer) -> None:
    with requests.Session() as http, FaultProxy("127.0.0.1", server.port) as proxy:
        assert get(http, proxy) == BIG  # the connection stays open for the next request
        proxy.network_down("blackhole")
        with pytest.raises(requests.exceptions.Timeout):
            get(http, proxy, timeout=0.3)  # on the kept-alive link, frozen mid-request
        with pytest.raises(requests.exceptions.Timeout), requests.Session() as other:
            get(other, proxy, timeout=0.3)  # a new connection: never accepted
        assert len(proxy_threads()) == 2 and proxy.connections == 1
    # The upstream's own threads end when it closes; the autouse check covers those.
    assert proxy_threads() == []


# --- the transport through the proxy ------------------------------------------------------


def through(proxy: FaultProxy, sleeps: Sleeps, **kwargs: object) -> Transport:
    kwargs.setdefault("stall_timeout", STALL)
    return Transport(proxy.url, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def test_a_response_cut_mid_way_is_retried_and_succeeds(
    server: ScriptedServer, proxy: FaultProxy
) -> None:
    server.default = Answer(body={"items": ["x" * 100] * 500})
    proxy.cut_after(20_000, "down")
    sleeps = Sleeps()
    with through(proxy, sleeps) as transport:
        assert transport.get_json("/changes") == {"items": ["x" * 100] * 500}
    assert len(server.seen) == 2 and len(sleeps) == 1


def test_network_down_is_offline_after_bounded_attempts(
    server: ScriptedServer, proxy: FaultProxy
) -> None:
    proxy.network_down("refuse")
    sleeps = Sleeps()
    with through(proxy, sleeps, max_attempts=4) as transport, pytest.raises(OfflineError) as caught:
        transport.get_json("/health")
    assert caught.value.attempts == 4 and len(sleeps) == 3
    assert all(0 <= s <= c for s, c in zip(sleeps, [1, 2, 4], strict=True))
    assert server.seen == []


def test_a_blackholed_network_is_offline_after_stall_timeouts(
    server: ScriptedServer, proxy: FaultProxy
) -> None:
    proxy.network_down("blackhole")
    sleeps = Sleeps()
    started = time.monotonic()
    with through(proxy, sleeps, max_attempts=2) as transport, pytest.raises(OfflineError):
        transport.get_json("/health")
    assert 2 * STALL <= time.monotonic() - started < 2 * STALL + 3
    assert server.seen == []


def test_canned_429s_are_waited_out_as_the_server_asks(
    server: ScriptedServer, proxy: FaultProxy
) -> None:
    server.default = Answer(body={"results": []})
    proxy.fail_next(2, 429, retry_after=3)
    sleeps = Sleeps()
    with through(proxy, sleeps) as transport:
        assert transport.post_json("/mutations", {"mutations": []}, idempotent=True) == {
            "results": []
        }
    assert sleeps == [3.0, 3.0] and len(server.seen) == 1


def test_a_truncated_response_is_retried(server: ScriptedServer, proxy: FaultProxy) -> None:
    server.default = Answer(body={"page": "p" * 5000})
    proxy.truncate_next(keep=1000)
    sleeps = Sleeps()
    with through(proxy, sleeps) as transport:
        assert transport.get_json("/changes") == {"page": "p" * 5000}
    assert len(server.seen) == 2


def test_a_slow_but_live_link_finishes(server: ScriptedServer, proxy: FaultProxy) -> None:
    server.default = Answer(body={"page": "p" * 3000})
    proxy.throttle(2000)  # 3 kB at 2 kB/s: longer than the stall timeout, never silent
    sleeps = Sleeps()
    started = time.monotonic()
    with through(proxy, sleeps) as transport:
        assert transport.get_json("/changes") == {"page": "p" * 3000}
    assert time.monotonic() - started > STALL and sleeps == []


def _ranged(seen: Seen) -> Answer:
    start = int(seen.headers.get("Range", "bytes=0-").removeprefix("bytes=").split("-")[0])
    return Answer(status=206 if start else 200, body=BIG[start:])


def test_a_download_cut_on_every_connection_completes_by_resuming(
    server: ScriptedServer, proxy: FaultProxy
) -> None:
    server.default = _ranged  # type: ignore[assignment]
    proxy.cut_after(30_000, "down", every=True)
    got = bytearray()
    with through(proxy, Sleeps()) as transport:
        for _ in range(10):
            try:
                with transport.download("/attachments/a1", start=len(got)) as reply:
                    for piece in reply.iter_bytes():
                        got += piece
                break
            except TransferInterrupted:
                continue
    assert hashlib.sha256(got).digest() == hashlib.sha256(BIG).digest()
    assert proxy.connections >= 4
