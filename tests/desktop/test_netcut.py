"""The demo's cuttable relay adds no delayed-ACK wait to a request (Nagle off on both legs)."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator

import pytest

from desktop.netcut import Relay

_ROUND_TRIPS = 12
_REQUEST = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
_HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"
_BODY = b'{"ok":true}'
_GAP_S = 0.003


class _TwoWriteServer:
    """Answers each request with its head and body in two writes, as uvicorn does."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _answer(conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with conn:
            pending = b""
            while chunk := conn.recv(4096):
                pending += chunk
                while _REQUEST in pending:
                    pending = pending.replace(_REQUEST, b"", 1)
                    conn.sendall(_HEAD)
                    # A pause so the relay reads (and forwards) the head on its own.
                    time.sleep(_GAP_S)
                    conn.sendall(_BODY)

    def close(self) -> None:
        self.listener.close()
        self._thread.join(5)


@pytest.fixture
def server() -> Iterator[_TwoWriteServer]:
    s = _TwoWriteServer()
    yield s
    s.close()


@pytest.fixture
def relay(server: _TwoWriteServer) -> Iterator[Relay]:
    r = Relay("127.0.0.1", server.port)
    yield r
    r.stop()


def _round_trips(port: int) -> list[float]:
    """Seconds each of a kept-alive connection's request/answer round trips took."""
    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(_ROUND_TRIPS):
            start = time.perf_counter()
            sock.sendall(_REQUEST)
            answer = b""
            while len(answer) < len(_HEAD) + len(_BODY):
                chunk = sock.recv(4096)
                assert chunk, "the line closed mid-answer"
                answer += chunk
            times.append(time.perf_counter() - start)
            assert answer == _HEAD + _BODY
    return times


def test_a_request_through_the_relay_does_not_wait_for_a_delayed_ack(
    server: _TwoWriteServer, relay: Relay
) -> None:
    direct = statistics.median(_round_trips(server.port))
    relayed = statistics.median(_round_trips(relay.port))
    # Linux's delayed ACK is at least 40 ms: with Nagle on, every relayed answer's body
    # waits that long behind its head. The median shrugs off a loaded box's odd slow turn.
    shown = f"relayed {relayed * 1000:.1f} ms, direct {direct * 1000:.1f} ms"
    assert relayed < direct + 0.02, shown


def test_both_legs_of_a_relayed_connection_have_nagle_off(
    server: _TwoWriteServer, relay: Relay
) -> None:
    with socket.create_connection(("127.0.0.1", relay.port), timeout=5) as sock:
        sock.sendall(_REQUEST)
        assert sock.recv(4096)  # the relay holds both legs now
        with relay._lock:
            legs = list(relay._open)
        assert len(legs) == 2
        for leg in legs:
            assert leg.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
