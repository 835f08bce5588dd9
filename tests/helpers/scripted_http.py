"""A real HTTP server on loopback that answers a scripted sequence of responses.

Each request takes the next ``Answer`` from the script (or the default), so a
test can say "503, then 200" and watch what the client really does on the
wire. Every request is recorded with its headers and (inflated) body.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    """One scripted response.

    ``body`` may be bytes or a JSON value. ``gzip`` compresses it and says so.
    ``drip`` sends the body in pieces of ``(size, every_seconds)``.
    ``stall_after`` sends that many body bytes, then nothing more until the
    server closes (the client must give up on its own).
    ``cut_after`` sends that many body bytes, then closes the connection.
    ``raw_body`` is sent as given, with its headers, no gzip of ours.
    """

    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    drip: tuple[int, float] | None = None
    stall_after: int | None = None
    cut_after: int | None = None
    raw_body: bytes | None = None


def error(status: int, code: str, message: str = "", **details: Any) -> Answer:
    """An answer in the contract's error shape."""
    body = {"error": {"code": code, "message": message or code, "details": details}}
    return Answer(status=status, body=body)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ScriptedServer:
    """``with ScriptedServer() as server:`` then ``server.script(...)``; ``server.url``."""

    def __init__(
        self,
        *,
        clock_offset: float = 0.0,
        wrap: Callable[[socket.socket], socket.socket] | None = None,
    ) -> None:
        self.clock_offset = clock_offset
        self.seen: list[Seen] = []
        self.default = Answer()
        self._script: deque[Answer | Callable[[Seen], Answer]] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if wrap is not None:
            self._httpd.socket = wrap(self._httpd.socket)
        self.port = self._httpd.server_address[1]
        scheme = "https" if wrap is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.start()

    def script(self, *answers: Answer | Callable[[Seen], Answer]) -> None:
        with self._lock:
            self._script.extend(answers)

    def next_answer(self, seen: Seen) -> Answer:
        with self._lock:
            self.seen.append(seen)
            item = self._script.popleft() if self._script else self.default
        return item(seen) if callable(item) else item

    def close(self) -> None:
        self._closing.set()
        self._httpd.shutdown()
        with self._lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()  # joins the handler threads
        self._thread.join()

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # joined on close, so a test can see no thread leaked
    owner: ScriptedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up mid-answer is what many tests do on purpose

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.owner._lock:
            self.owner._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.owner._lock:
            self.owner._connections.discard(request)
        super().shutdown_request(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(time.time() + self.server.owner.clock_offset, usegmt=True)

    def _serve(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-request: nothing to answer
            self.close_connection = True
            return
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        seen = Seen(self.command, self.path, dict(self.headers.items()), body)
        answer = owner.next_answer(seen)
        if answer.raw_body is not None:
            payload = answer.raw_body
        elif isinstance(answer.body, bytes):
            payload = answer.body
        else:
            payload = json.dumps(answer.body).encode()
        headers = {"Content-Type": "application/json", **answer.headers}
        if answer.gzip:
            payload = gzip.compress(payload)
            headers["Content-Encoding"] = "gzip"
        headers.setdefault("Content-Length", str(len(payload)))
        self.send_response(answer.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        self._write_body(answer, payload)

    def _write_body(self, answer: Answer, payload: bytes) -> None:
        owner = self.server.owner
        if answer.stall_after is not None or answer.cut_after is not None:
            limit = answer.stall_after if answer.stall_after is not None else answer.cut_after
            self.wfile.write(payload[:limit])
            self.wfile.flush()
            if answer.stall_after is not None:
                owner._closing.wait(30)
            self.close_connection = True
            return
        if answer.drip is not None:
            size, every = answer.drip
            for start in range(0, len(payload), size):
                if owner._closing.wait(every):
                    return
                self.wfile.write(payload[start : start + size])
                self.wfile.flush()
            return
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_HEAD = do_DELETE = _serve
