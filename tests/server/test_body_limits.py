"""Bodies are capped per route before they are read (issue 14 item 10).

Raw sockets on loopback, so nothing between test and server reads ahead: a
refusal must come while the client still holds most of its body. And one
server in its own process, whose memory is read while eight clients each
try to send it 60 MB at once.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from server.bodylimits import SMALL_BODY
from server.inprocess import RunningServer, start_server
from tests.server.conftest import API, Clock

SIXTY_MB = 60_000_000
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(seeded_url: str, clock: Clock) -> Iterator[RunningServer]:
    running = start_server(seeded_url, seed=False, clock=clock, rate_limit=None)
    yield running
    running.stop()


def _head(path: str, port: int, extra: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\n{extra}\r\n").encode()


def _answer(sock: socket.socket, within_s: float = 5.0) -> tuple[int, dict[str, object]]:
    """The status and JSON body of the server's answer, which must come ``within_s``."""
    sock.settimeout(within_s)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed without answering"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), json.loads(body)


def test_a_login_declaring_60_mb_is_refused_before_a_byte_of_it_is_sent(
    server: RunningServer,
) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head(f"{API}/auth/token", server.port, f"Content-Length: {SIXTY_MB}\r\n"))
        status, body = _answer(sock)
    assert status == 413
    assert body["error"]["code"] == "too_large"  # type: ignore[index]


def test_a_chunked_login_is_refused_while_the_client_still_holds_the_rest(
    server: RunningServer,
) -> None:
    piece = b"x" * (4 * SMALL_BODY)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head(f"{API}/auth/token", server.port, "Transfer-Encoding: chunked\r\n"))
        sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))  # and never the last chunk
        status, body = _answer(sock)
    assert status == 413
    assert body["error"]["code"] == "too_large"  # type: ignore[index]


def test_a_push_without_a_token_is_refused_before_its_body_is_read(
    server: RunningServer,
) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head(f"{API}/mutations", server.port, f"Content-Length: {SIXTY_MB}\r\n"))
        sock.sendall(b'{"device_id": "pc-1", "mutations": [')
        status, body = _answer(sock)
    assert status == 401
    assert body["error"]["code"] == "invalid_token"  # type: ignore[index]


def test_a_gzipped_login_inflating_past_its_cap_is_refused(server: RunningServer) -> None:
    padded = json.dumps({"username": "petugas1", "password": "x" * 200_000,
                         "device_id": "pc-1"}).encode()
    packed = gzip.compress(padded)
    assert len(packed) < SMALL_BODY < len(padded)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(_head(f"{API}/auth/token", server.port,
                           f"Content-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n"))
        sock.sendall(packed)
        status, body = _answer(sock)
    assert status == 413
    assert body["error"]["code"] == "too_large"  # type: ignore[index]


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _send_sixty_mb(port: int) -> int:
    """Stream 60 MB of a login body, chunked, until the server answers; bytes sent."""
    piece, sent = b"x" * 65536, 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(_head(f"{API}/auth/token", port, "Transfer-Encoding: chunked\r\n"))
        sock.settimeout(10)
        try:
            while sent < SIXTY_MB:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            sock.sendall(b"0\r\n\r\n")
            sock.recv(65536)
        except OSError:
            pass  # the server answered and closed: the rest was never read
    return sent


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_eight_60_mb_logins_at_once_leave_the_servers_memory_alone(
    seeded_url: str, tmp_path: Path
) -> None:
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve.py"), seeded_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdin is not None and child.stdout is not None
    try:
        port = int(child.stdout.readline().strip().rsplit(":", 1)[1])
        time.sleep(0.5)
        before = _rss_mb(child.pid)
        with ThreadPoolExecutor(8) as pool:
            sent = list(pool.map(lambda _: _send_sixty_mb(port), range(8)))
        after = _rss_mb(child.pid)
    finally:
        child.stdin.close()
        child.wait(timeout=30)
        child.stdout.close()
    assert after - before < 40, f"{before:.0f} MB -> {after:.0f} MB"
    assert max(sent) < SIXTY_MB  # each was cut off long before its end
