"""A TCP fault proxy on loopback: a bad network between the client and a real server.

``FaultProxy(upstream_host, upstream_port)`` listens on 127.0.0.1 (a free
port) and forwards every connection to the upstream, one thread per
connection. A test changes its behaviour at runtime:

- ``cut_after(n, direction, every=False)``: close the connection once ``n``
  bytes went that way (``"up"`` is client to server, ``"down"`` server to
  client); once (counted from now, across connections) or on every connection.
- ``set_latency(s)``: hold each forwarded piece ``s`` seconds.
- ``throttle(bytes_per_s)``: drip at that rate (None: full speed).
- ``network_down(mode)`` / ``network_up()``: ``"refuse"`` closes the port
  (connection refused), ``"reset"`` accepts and resets at once, ``"blackhole"``
  accepts nothing and freezes live connections until the network is up.
  ``"refuse"`` and ``"reset"`` also cut the live connections.
- ``fail_next(k, status, retry_after=None)``: answer the next ``k`` HTTP
  requests with a canned error in the contract's shape, without forwarding.
- ``truncate_next(keep, count=1)``: pass the next response's head and only
  ``keep`` bytes of its body, then close.
- ``pass_through()``: drop every fault.

Counters: ``bytes_up`` and ``bytes_down`` (bytes forwarded each way; canned
answers are not forwarded, so not counted), ``connections``,
``requests_forwarded``, ``canned_answers``.

HTTP awareness is minimal: request heads and ``Content-Length`` bodies are
tracked on the way up, so canned answers and truncation act per request on
kept-alive connections. A chunked request body turns tracking off for the
rest of that connection. Clients must not pipeline (requests does not).
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import struct
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import Literal, Self

Direction = Literal["up", "down"]
DownMode = Literal["refuse", "reset", "blackhole"]

_POLL_S = 0.05
_MAX_HEAD = 64 * 1024
_ERROR_CODES = {
    408: "request_timeout",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "unavailable",
    504: "gateway_timeout",
}


class _LinkClosed(Exception):
    """The connection is over: cut, closed by a peer, or the proxy stops."""


@dataclass
class _Cut:
    after: int
    every: bool
    left: int  # bytes left before a one-time cut, counted across connections


@dataclass
class _Canned:
    left: int
    status: int
    retry_after: int | None
    path: bytes | None = None  # only requests whose request line holds this


@dataclass
class _Truncate:
    left: int
    keep: int


class FaultProxy:
    """See the module docstring. Use as ``with FaultProxy(host, port) as proxy:``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._network_up = threading.Event()
        self._network_up.set()
        self._down_mode: DownMode | None = None
        self._acceptor_mode: DownMode | None = None  # the mode the acceptor last acted on
        self._cuts: dict[Direction, _Cut] = {}
        self._latency = 0.0
        self._rate: int | None = None
        self._canned: _Canned | None = None
        self._truncate: _Truncate | None = None
        self._links: set[_Link] = set()
        self._threads: list[threading.Thread] = []
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self.requests_forwarded = 0
        self.canned_answers = 0
        self._listener: socket.socket | None = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._listener_changed = threading.Condition(self._lock)
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy-accept")
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- controls ---------------------------------------------------------------

    def pass_through(self) -> None:
        """Drop every fault; the network is up."""
        with self._lock:
            self._cuts.clear()
            self._latency = 0.0
            self._rate = None
            self._canned = None
            self._truncate = None
        self.network_up()

    def cut_after(self, n: int, direction: Direction = "down", *, every: bool = False) -> None:
        if n < 1:
            raise ValueError("cut after at least one byte")
        with self._lock:
            self._cuts[direction] = _Cut(after=n, every=every, left=n)

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self._latency = seconds

    def throttle(self, bytes_per_second: int | None) -> None:
        with self._lock:
            self._rate = bytes_per_second

    def fail_next(
        self, count: int, status: int = 503, *, retry_after: int | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``count`` requests (those for ``path`` only, where given) itself."""
        wanted = path.encode() if path is not None else None
        with self._lock:
            self._canned = _Canned(count, status, retry_after, wanted)

    def truncate_next(self, keep: int, count: int = 1) -> None:
        with self._lock:
            self._truncate = _Truncate(left=count, keep=keep)

    def network_down(self, mode: DownMode = "refuse") -> None:
        """Take the network down; returns once new connections meet the fault."""
        with self._lock:
            self._down_mode = mode
            self._network_up.clear()
            live = list(self._links) if mode != "blackhole" else []
            self._listener_changed.wait_for(
                lambda: self._acceptor_mode == mode or self._stopping.is_set()
            )
        for link in live:
            link.cut()

    def network_up(self) -> None:
        with self._lock:
            self._down_mode = None
            self._network_up.set()
            self._listener_changed.wait_for(
                lambda: self._acceptor_mode is None or self._stopping.is_set()
            )

    def reset_counters(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = 0
            self.connections = self.requests_forwarded = self.canned_answers = 0

    # --- life -------------------------------------------------------------------

    def close(self) -> None:
        """Stop accepting, cut every connection and join every thread."""
        self._stopping.set()
        self._network_up.set()
        self._acceptor.join()
        with self._lock:
            links = list(self._links)
            threads = list(self._threads)
        for link in links:
            link.cut()
        for thread in threads:
            thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- accepting --------------------------------------------------------------

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        return listener

    def _accept_loop(self) -> None:
        try:
            while not self._stopping.is_set():
                listener, mode = self._sync_listener()
                if listener is None or mode == "blackhole":
                    self._stopping.wait(_POLL_S)
                    continue
                ready, _, _ = select.select([listener], [], [], _POLL_S)
                if not ready:
                    continue
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                if mode == "reset":
                    _reset(conn)
                    continue
                self._start_link(conn)
        finally:
            with self._lock:
                if self._listener is not None:
                    self._listener.close()
                    self._listener = None
                self._listener_changed.notify_all()

    def _sync_listener(self) -> tuple[socket.socket | None, DownMode | None]:
        """Match the port to the wanted mode and acknowledge it; only this thread touches it.

        ``network_down`` waits for the acknowledgement, so no connection made
        after it returns is accepted under the old mode.
        """
        with self._lock:
            mode = self._down_mode
            if mode == "refuse" and self._listener is not None:
                self._listener.close()
                self._listener = None
            elif mode != "refuse" and self._listener is None:
                self._listener = self._listen(self.port)
            self._acceptor_mode = mode
            self._listener_changed.notify_all()
            return self._listener, mode

    def _start_link(self, conn: socket.socket) -> None:
        link = _Link(self, conn)
        thread = threading.Thread(target=link.run, name="fault-proxy-link")
        with self._lock:
            self.connections += 1
            self._links.add(link)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    # --- what links ask ----------------------------------------------------------

    def _forget(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)

    def _allowance(self, link: _Link, direction: Direction) -> int | None:
        """Bytes that may still go ``direction`` on ``link`` before a cut; None: no limit."""
        with self._lock:
            cut = self._cuts.get(direction)
            if cut is None:
                return None
            if cut.every:
                return max(0, cut.after - link.sent[direction])
            return cut.left

    def _account(self, direction: Direction, n: int) -> bool:
        """Count ``n`` forwarded bytes; True when a one-time cut is now due (and disarmed)."""
        with self._lock:
            if direction == "up":
                self.bytes_up += n
            else:
                self.bytes_down += n
            cut = self._cuts.get(direction)
            if cut is None or cut.every:
                return False
            cut.left -= n
            if cut.left <= 0:
                del self._cuts[direction]
                return True
            return False

    def _take_canned(self, head: bytes) -> _Canned | None:
        with self._lock:
            canned = self._canned
            if canned is None or canned.left <= 0:
                return None
            if canned.path is not None and canned.path not in head.split(b"\r\n", 1)[0]:
                return None
            canned.left -= 1
            self.canned_answers += 1
            return canned

    def _take_truncate(self) -> int | None:
        with self._lock:
            rule = self._truncate
            if rule is None or rule.left <= 0:
                return None
            rule.left -= 1
            return rule.keep

    def _pacing(self) -> tuple[float, int | None]:
        with self._lock:
            return self._latency, self._rate


class _Link:
    """One client connection and its upstream connection, served by one thread."""

    def __init__(self, proxy: FaultProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.client.setblocking(False)
        # Forward each piece at once: with Nagle a body waits ~40 ms behind its head.
        self.client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.upstream: socket.socket | None = None
        self.sent: dict[Direction, int] = {"up": 0, "down": 0}
        self._closed = threading.Event()
        # Request tracking on the way up.
        self._up_buf = b""
        self._up_state: Literal["head", "body", "discard", "opaque"] = "head"
        self._body_left = 0
        self._canned: _Canned | None = None
        # Response tracking on the way down.
        self._expect_head = False
        self._down_buf = b""
        self._pending_keep: int | None = None  # truncation armed, head not yet whole
        self._keep_left: int | None = None  # body bytes still let through before the cut

    def cut(self) -> None:
        self._closed.set()

    def run(self) -> None:
        try:
            while not self._closed.is_set() and not self.proxy._stopping.is_set():
                if not self.proxy._network_up.is_set():  # blackhole: the link freezes
                    self.proxy._stopping.wait(_POLL_S)
                    continue
                socks = [self.client] + ([self.upstream] if self.upstream else [])
                ready, _, _ = select.select(socks, [], [], _POLL_S)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        raise _LinkClosed
                    if sock is self.client:
                        self._from_client(data)
                    else:
                        self._from_upstream(data)
        except (_LinkClosed, OSError):
            pass
        finally:
            self.client.close()
            if self.upstream is not None:
                self.upstream.close()
            self.proxy._forget(self)

    # --- client to server ------------------------------------------------------------

    def _from_client(self, data: bytes) -> None:
        self._up_buf += data
        while self._up_buf:
            if self._up_state == "head":
                end = self._up_buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(self._up_buf) > _MAX_HEAD:
                        self._up_state = "opaque"
                        continue
                    return
                head, self._up_buf = self._up_buf[: end + 4], self._up_buf[end + 4 :]
                self._start_request(head)
            elif self._up_state == "opaque":
                data, self._up_buf = self._up_buf, b""
                self._forward("up", data)
            else:
                piece = self._up_buf[: self._body_left]
                self._up_buf = self._up_buf[self._body_left :]
                self._body_left -= len(piece)
                if self._up_state == "body":
                    self._forward("up", piece)
                if self._body_left == 0:
                    self._end_request()

    def _start_request(self, head: bytes) -> None:
        length, chunked = _body_framing(head)
        self._body_left = length
        self._canned = self.proxy._take_canned(head)
        if self._canned is not None:
            self._up_state = "discard"
        else:
            self._up_state = "opaque" if chunked else "body"
            with self.proxy._lock:
                self.proxy.requests_forwarded += 1
            self._expect_head = True
            self._forward("up", head)
        if self._body_left == 0 and self._up_state != "opaque":
            self._end_request()

    def _end_request(self) -> None:
        self._up_state = "head"
        if self._canned is not None:
            # The whole request was read first, so closing does not reset the answer away.
            self._send(self.client, _canned_response(self._canned))
            with contextlib.suppress(OSError):
                self.client.shutdown(socket.SHUT_WR)
            raise _LinkClosed

    # --- server to client ------------------------------------------------------------

    def _from_upstream(self, data: bytes) -> None:
        if self._keep_left is not None:
            self._forward_kept(data)
            return
        if self._expect_head and self._pending_keep is None:
            self._pending_keep = self.proxy._take_truncate()
            self._expect_head = self._pending_keep is not None
        if self._pending_keep is None:
            self._forward("down", data)
            return
        # A truncation is armed: hold bytes until the head is whole, then count the body.
        self._down_buf += data
        end = self._down_buf.find(b"\r\n\r\n")
        if end < 0:
            return
        head, body = self._down_buf[: end + 4], self._down_buf[end + 4 :]
        self._down_buf = b""
        self._expect_head = False
        self._keep_left, self._pending_keep = self._pending_keep, None
        self._forward("down", head)
        self._forward_kept(body)

    def _forward_kept(self, body: bytes) -> None:
        assert self._keep_left is not None
        piece = body[: self._keep_left]
        self._keep_left -= len(piece)
        if piece:
            self._forward("down", piece)
        if self._keep_left <= 0:
            raise _LinkClosed

    # --- sending -----------------------------------------------------------------------

    def _forward(self, direction: Direction, data: bytes) -> None:
        """Send ``data`` on, obeying cuts, latency and throttling."""
        allowance = self.proxy._allowance(self, direction)
        cut_now = allowance is not None and allowance <= len(data)
        if allowance is not None:
            data = data[:allowance]
        target = self._upstream_socket() if direction == "up" else self.client
        if data:
            latency, _ = self.proxy._pacing()
            if latency and self.proxy._stopping.wait(latency):
                raise _LinkClosed
            self._send(target, data, paced=True)
            self.sent[direction] += len(data)
            cut_now = self.proxy._account(direction, len(data)) or cut_now
        if cut_now:
            raise _LinkClosed

    def _upstream_socket(self) -> socket.socket:
        # Connected only when a request is forwarded, so a canned answer never reaches it.
        if self.upstream is None:
            self.upstream = socket.create_connection(self.proxy.upstream, timeout=5)
            self.upstream.setblocking(False)
            self.upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.upstream

    def _send(self, sock: socket.socket, data: bytes, *, paced: bool = False) -> None:
        view = memoryview(data)
        while view:
            _, rate = self.proxy._pacing() if paced else (0.0, None)
            piece = view[: max(1, rate // 10)] if rate else view
            sent = self._send_some(sock, piece)
            view = view[sent:]
            if rate and self.proxy._stopping.wait(sent / rate):
                raise _LinkClosed

    def _send_some(self, sock: socket.socket, data: memoryview) -> int:
        while True:
            if self._closed.is_set() or self.proxy._stopping.is_set():
                raise _LinkClosed
            _, writable, _ = select.select([], [sock], [], _POLL_S)
            if writable:
                try:
                    return sock.send(data)
                except BlockingIOError:
                    continue


def _body_framing(head: bytes) -> tuple[int, bool]:
    """(Content-Length, chunked) of a request head."""
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    return length, chunked


def _canned_response(canned: _Canned) -> bytes:
    code = _ERROR_CODES.get(canned.status, f"http_{canned.status}")
    body = json.dumps(
        {"error": {"code": code, "message": "canned by the fault proxy", "details": {}}}
    ).encode()
    lines = [
        f"HTTP/1.1 {canned.status} {HTTPStatus(canned.status).phrase}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        f"Date: {formatdate(usegmt=True)}",
        "Connection: close",
    ]
    if canned.retry_after is not None:
        lines.append(f"Retry-After: {canned.retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset, as a dead route or a firewall would."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
