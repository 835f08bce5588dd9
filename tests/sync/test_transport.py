"""The transport against real HTTP servers on loopback, with a fake sleep for backoff."""

from __future__ import annotations

import gzip
import random
import time
import tracemalloc
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
import requests

from sync.http.errors import BadIdentifier
from sync.http.retry import Backoff
from sync.http.urls import api_path
from sync.transport import (
    ApiError,
    BodyTooLarge,
    InsecureURL,
    OfflineError,
    TlsError,
    TransferInterrupted,
    Transport,
)
from tests.helpers.fakes import Sleeps
from tests.helpers.scripted_http import Answer, ScriptedServer, Seen, error
from tests.helpers.tls import make_server_tls

STALL = 1.0  # seconds; the contract's 30 s, shrunk for tests


class HighestJitter(random.Random):
    """Full jitter that always draws the top of its range, to see the ceiling."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make(server: ScriptedServer, sleeps: Sleeps, **kwargs: object) -> Transport:
    kwargs.setdefault("stall_timeout", STALL)
    return Transport(server.url, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


# --- where the client may go -------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://lapor.go.id", "http://10.0.0.5:8000", "http://[fe80::1]", "ftp://127.0.0.1"],
)
def test_plain_http_to_a_remote_host_is_refused_before_anything_is_sent(url: str) -> None:
    class NoSending(requests.Session):
        def request(self, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
            raise AssertionError("sent a request")

    with pytest.raises(InsecureURL, match="http"):
        Transport(url, session=NoSending())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.9.9.9",
        "http://localhost:1",
        "http://[::1]:80",
        "https://lapor.go.id/prefix/",
    ],
)
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    transport = Transport(url)
    assert transport.url("/health").endswith("/api/v1/health")
    assert "//api" not in transport.url("/health")


def test_requests_go_under_the_api_prefix_and_ask_for_gzip(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    assert make(server, sleeps).get_json("/health", params={"a": 1}) == {"ok": True}
    assert server.seen[0].path == "/api/v1/health?a=1"
    assert server.seen[0].headers["Accept-Encoding"] == "gzip"


# --- transient failures --------------------------------------------------------------


def test_503_then_200_is_retried_after_a_jittered_wait(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.script(error(503, "unavailable"), Answer(body={"n": 1}))
    assert make(server, sleeps).get_json("/x") == {"n": 1}
    assert len(server.seen) == 2
    assert len(sleeps) == 1 and 0.0 <= sleeps[0] <= 1.0


def test_backoff_doubles_from_one_second_up_to_the_cap_then_gives_up(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.default = error(500, "internal_error")
    transport = make(
        server, sleeps, max_attempts=7, backoff=Backoff(base=1.0, cap=10.0), rng=HighestJitter()
    )
    with pytest.raises(OfflineError) as caught:
        transport.get_json("/x")
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert len(server.seen) == 7
    assert caught.value.attempts == 7 and caught.value.status == 500


def test_full_jitter_draws_anywhere_below_the_ceiling(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.default = error(502, "bad_gateway")
    with pytest.raises(OfflineError):
        make(server, sleeps, max_attempts=40, rng=random.Random(4)).get_json("/x")
    ceilings = [min(300.0, 2.0**n) for n in range(39)]
    assert all(0.0 <= s <= c for s, c in zip(sleeps, ceilings, strict=True))
    # Full jitter, not "ceiling plus a little": later waits often fall far below the cap.
    assert any(s < c / 2 for s, c in zip(sleeps[10:], ceilings[10:], strict=True))
    assert max(sleeps) > 150.0


def test_the_default_backoff_is_one_second_base_and_five_minutes_cap() -> None:
    assert Backoff().ceiling(1) == 1.0
    assert Backoff().ceiling(9) == 256.0
    assert Backoff().ceiling(10) == 300.0
    assert Backoff().ceiling(10_000) == 300.0


def test_429_retry_after_seconds_is_obeyed(server: ScriptedServer, sleeps: Sleeps) -> None:
    limited = error(429, "rate_limited")
    limited.headers["Retry-After"] = "7"
    server.script(limited, Answer())
    make(server, sleeps).get_json("/x")
    assert sleeps == [7.0]


def test_retry_after_as_a_date_counts_from_the_server_clock_not_ours(sleeps: Sleeps) -> None:
    # The server's clock is an hour ahead of this PC's; its Retry-After date is 20 s after its now.
    with ScriptedServer(clock_offset=3600.0) as server:
        limited = error(503, "unavailable")
        limited.headers["Retry-After"] = formatdate(time.time() + 3600.0 + 20.0, usegmt=True)
        server.script(limited, Answer())
        make(server, sleeps).get_json("/x")
    assert len(sleeps) == 1 and 18.0 <= sleeps[0] <= 21.0


def test_a_retry_after_longer_than_the_cap_ends_the_call_and_says_how_long(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    limited = error(429, "rate_limited")
    limited.headers["Retry-After"] = "3600"
    server.script(limited)
    with pytest.raises(OfflineError) as caught:
        make(server, sleeps).get_json("/x")
    assert caught.value.retry_after == 3600.0
    assert sleeps == [] and len(server.seen) == 1


def test_no_server_listening_is_offline_after_the_bounded_attempts(sleeps: Sleeps) -> None:
    with ScriptedServer() as gone:
        url = gone.url
    transport = Transport(url, sleep=sleeps, max_attempts=3, stall_timeout=STALL)
    with pytest.raises(OfflineError) as caught:
        transport.post_json("/auth/token", {"username": "u"})  # not idempotent, never sent
    assert caught.value.attempts == 3 and len(sleeps) == 2


# --- which requests are repeated ---------------------------------------------------


def test_a_plain_post_is_not_repeated_after_a_500(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(500, "internal_error"), Answer())
    with pytest.raises(OfflineError, match="may have acted"):
        make(server, sleeps).post_json("/auth/refresh", {"refresh_token": "r"})
    assert len(server.seen) == 1


def test_a_plain_post_is_repeated_after_a_503_the_server_did_not_act_on(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.script(error(503, "unavailable"), Answer(body={"done": 1}))
    assert make(server, sleeps).post_json("/auth/token", {"u": 1}) == {"done": 1}
    assert [s.json() for s in server.seen] == [{"u": 1}, {"u": 1}]


def test_an_idempotent_post_is_repeated_after_a_500(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(error(500, "internal_error"), Answer(body={"results": []}))
    reply = make(server, sleeps).post_json("/mutations", {"mutations": []}, idempotent=True)
    assert reply == {"results": []} and len(server.seen) == 2


def test_a_patch_cut_mid_answer_is_not_repeated(server: ScriptedServer, sleeps: Sleeps) -> None:
    # The chunk may have landed: the uploader asks with HEAD, the transport must not resend.
    server.script(Answer(body=b"x" * 100, cut_after=10), Answer())
    with pytest.raises(OfflineError):
        make(server, sleeps).patch("/uploads/u1", b"chunk", headers={"Upload-Offset": "0"})
    assert len(server.seen) == 1


# --- permanent errors and tokens -------------------------------------------------------


def test_a_4xx_is_a_typed_error_with_the_contracts_code_and_is_not_retried(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.script(error(422, "validation_error", "bad body", fields={"text": "too long"}))
    with pytest.raises(ApiError) as caught:
        make(server, sleeps).post_json("/mutations", {}, idempotent=True)
    assert (caught.value.status, caught.value.code) == (422, "validation_error")
    assert caught.value.message == "bad body"
    assert caught.value.details == {"fields": {"text": "too long"}}
    assert len(server.seen) == 1 and sleeps == []


def test_an_error_without_the_contracts_body_still_gets_a_code(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.script(Answer(status=418, body=b"<html>teapot</html>"))
    with pytest.raises(ApiError) as caught:
        make(server, sleeps).get_json("/x")
    assert caught.value.code == "http_418" and "teapot" in caught.value.message


def test_a_redirect_is_not_followed(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Answer(status=302, headers={"Location": "http://127.0.0.1:9/steal"}))
    with pytest.raises(ApiError) as caught:
        make(server, sleeps, token_provider=lambda: "secret").get_json("/x")
    assert caught.value.status == 302 and len(server.seen) == 1


class Tokens:
    def __init__(self) -> None:
        self.current = "old"
        self.refreshes = 0

    def __call__(self) -> str:
        return self.current

    def refresh(self) -> None:
        self.refreshes += 1
        self.current = f"new{self.refreshes}"


def test_token_expired_is_answered_by_one_refresh_then_the_request_repeats(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    tokens = Tokens()
    server.script(error(401, "token_expired"), Answer(body={"me": 1}))
    transport = make(server, sleeps, token_provider=tokens, refresh=tokens.refresh)
    assert transport.post_json("/mutations", {"m": 1}, idempotent=True) == {"me": 1}
    assert tokens.refreshes == 1
    assert [s.headers["Authorization"] for s in server.seen] == ["Bearer old", "Bearer new1"]
    assert server.seen[1].json() == {"m": 1}


def test_a_second_token_expired_is_not_refreshed_again(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    tokens = Tokens()
    server.default = error(401, "token_expired")
    transport = make(server, sleeps, token_provider=tokens, refresh=tokens.refresh)
    with pytest.raises(ApiError) as caught:
        transport.get_json("/x")
    assert caught.value.code == "token_expired"
    assert tokens.refreshes == 1 and len(server.seen) == 2


def test_invalid_token_is_not_refreshed(server: ScriptedServer, sleeps: Sleeps) -> None:
    tokens = Tokens()
    server.script(error(401, "invalid_token"))
    transport = make(server, sleeps, token_provider=tokens, refresh=tokens.refresh)
    with pytest.raises(ApiError, match="invalid_token"):
        transport.get_json("/x")
    assert tokens.refreshes == 0


def test_calls_without_auth_send_no_bearer(server: ScriptedServer, sleeps: Sleeps) -> None:
    make(server, sleeps, token_provider=lambda: "t").post_json("/auth/logout", {}, auth=False)
    assert "Authorization" not in server.seen[0].headers


# --- bodies ------------------------------------------------------------------------------


def test_gzip_responses_are_inflated(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Answer(body={"items": ["a"] * 1000}, gzip=True))
    assert make(server, sleeps).get_json("/x") == {"items": ["a"] * 1000}


def test_a_gzip_body_of_several_members_is_inflated_whole(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    members = gzip.compress(b'{"a": ') + gzip.compress(b'"b"}')
    server.script(Answer(raw_body=members, headers={"Content-Encoding": "gzip"}))
    assert make(server, sleeps).get_json("/x") == {"a": "b"}


def test_large_json_bodies_go_out_gzipped_and_small_ones_plain(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    transport = make(server, sleeps, gzip_min_bytes=1024)
    big = {"text": "teks " * 1000}
    transport.post_json("/mutations", big, idempotent=True)
    transport.post_json("/mutations", {"text": "kecil"}, idempotent=True)
    first, second = server.seen
    assert first.headers["Content-Encoding"] == "gzip"
    assert int(first.headers["Content-Length"]) < 1000 and first.json() == big
    assert "Content-Encoding" not in second.headers


def test_a_gzip_bomb_is_refused_without_inflating_it_into_memory(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    bomb = gzip.compress(b"\0" * (65 * 1024 * 1024))  # 65 MiB of zeros in about 64 KiB
    assert len(bomb) < 200_000
    server.script(Answer(raw_body=bomb, headers={"Content-Encoding": "gzip"}))
    transport = make(server, sleeps)
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            transport.get_json("/x")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert len(server.seen) == 1 and sleeps == []


def test_a_plain_body_over_the_cap_is_refused(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Answer(body=b"y" * 5000))
    with pytest.raises(BodyTooLarge):
        make(server, sleeps, max_body_bytes=4096).get_json("/x")


def test_a_truncated_gzip_body_is_retried(server: ScriptedServer, sleeps: Sleeps) -> None:
    whole = gzip.compress(b'{"ok": 1}' + b" " * 10_000)
    server.script(
        Answer(raw_body=whole[:-20], headers={"Content-Encoding": "gzip"}), Answer(body={"ok": 2})
    )
    assert make(server, sleeps).get_json("/x") == {"ok": 2}
    assert len(sleeps) == 1


def test_a_body_cut_mid_way_is_retried_for_a_get(server: ScriptedServer, sleeps: Sleeps) -> None:
    server.script(Answer(body=b"z" * 10_000, cut_after=3000), Answer(body={"ok": 1}))
    assert make(server, sleeps).get_json("/x") == {"ok": 1}
    assert len(server.seen) == 2


# --- stall timeouts ---------------------------------------------------------------------


def test_a_slow_but_live_body_finishes_though_it_takes_longer_than_the_stall_timeout(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    payload = b'{"slow": "' + b"s" * 8 + b'"}'
    server.script(Answer(body=payload, drip=(2, STALL / 3)))
    started = time.monotonic()
    assert make(server, sleeps).get_json("/x") == {"slow": "s" * 8}
    assert time.monotonic() - started > 2 * STALL
    assert sleeps == []


def test_a_body_that_stops_moving_is_abandoned_after_the_stall_timeout(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.default = Answer(body=b"x" * 1000, stall_after=100)
    started = time.monotonic()
    with pytest.raises(OfflineError) as caught:
        make(server, sleeps, max_attempts=2).get_json("/x")
    elapsed = time.monotonic() - started
    assert caught.value.attempts == 2 and len(server.seen) == 2
    assert 2 * STALL <= elapsed < 2 * STALL + 3.0


# --- the server's clock -------------------------------------------------------------------


def test_the_server_clock_is_taken_only_from_authenticated_answers(sleeps: Sleeps) -> None:
    """A captive portal, a proxy's error page or a refusal never sets the office's clock."""
    with ScriptedServer(clock_offset=-7200.0) as server:
        anonymous = make(server, sleeps)
        anonymous.get_json("/x")
        assert anonymous.clock_offset is None and anonymous.answered
        transport = make(server, sleeps, token_provider=lambda: "token")
        server.script(error(404, "not_found"))
        with pytest.raises(ApiError):
            transport.get_json("/x")
        assert transport.clock_offset is None and transport.answered
        transport.get_json("/x")
        offset = transport.clock_offset
        assert offset is not None and -7202.0 < offset < -7198.0
        server.clock_offset = 60.0
        transport.get_json("/x")
        offset = transport.clock_offset
        assert offset is not None and 58.0 < offset < 62.0
        skew = transport.server_now().timestamp() - time.time()
        assert 58.0 < skew < 62.0


# --- downloads, uploads ------------------------------------------------------------------


def _ranged(content: bytes) -> object:
    def answer(seen: Seen) -> Answer:
        spec = seen.headers.get("Range")
        if not spec:
            return Answer(body=content)
        start = int(spec.removeprefix("bytes=").split("-")[0])
        return Answer(
            status=206, body=content[start:], headers={"Content-Range": f"bytes {start}-"}
        )

    return answer


def test_a_download_resumes_with_range_after_a_cut(server: ScriptedServer, sleeps: Sleeps) -> None:
    content = bytes(range(256)) * 400
    server.script(Answer(body=content, cut_after=30_000), _ranged(content))  # type: ignore[arg-type]
    transport = make(server, sleeps)
    got = bytearray()
    with pytest.raises(TransferInterrupted), transport.download("/attachments/a1") as reply:
        for piece in reply.iter_bytes():
            got += piece
    assert 0 < len(got) <= 30_000
    with transport.download("/attachments/a1", start=len(got)) as reply:
        assert reply.status == 206
        for piece in reply.iter_bytes():
            got += piece
    assert bytes(got) == content
    assert server.seen[1].headers["Range"] == "bytes=30000-"


def test_head_and_patch_hand_back_status_and_headers(
    server: ScriptedServer, sleeps: Sleeps
) -> None:
    server.script(
        Answer(status=200, body=b"", headers={"Upload-Offset": "5"}),
        Answer(status=204, body=b"", headers={"Upload-Offset": "9"}),
    )
    transport = make(server, sleeps)
    assert transport.head("/uploads/u1").headers["upload-offset"] == "5"
    reply = transport.patch(
        "/uploads/u1",
        b"abcd",
        headers={"Upload-Offset": "5", "Content-Type": "application/offset+octet-stream"},
    )
    assert (reply.status, reply.headers["Upload-Offset"], reply.json()) == (204, "9", None)
    assert server.seen[1].body == b"abcd" and server.seen[1].method == "PATCH"


# --- TLS and proxies -----------------------------------------------------------------------


def test_tls_is_verified_and_a_ca_bundle_can_be_given(tmp_path: Path, sleeps: Sleeps) -> None:
    ca_bundle, context = make_server_tls(tmp_path)
    with ScriptedServer(wrap=lambda s: context.wrap_socket(s, server_side=True)) as server:
        with pytest.raises(TlsError):
            Transport(server.url, sleep=sleeps, stall_timeout=STALL).get_json("/x")
        assert sleeps == []  # a certificate that fails is not a transient fault
        trusted = Transport(server.url, sleep=sleeps, ca_bundle=ca_bundle, stall_timeout=STALL)
        assert trusted.get_json("/x") == {"ok": True}


def test_an_explicit_proxy_carries_the_requests(server: ScriptedServer, sleeps: Sleeps) -> None:
    # NO_PROXY covers loopback in the tests' environment; an explicit proxy still wins.
    transport = Transport("http://127.0.0.1:9", proxy=server.url, sleep=sleeps)
    assert transport.get_json("/health") == {"ok": True}
    assert server.seen[0].path == "http://127.0.0.1:9/api/v1/health"


def test_the_environments_proxy_is_used_without_settings(
    server: ScriptedServer, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_PROXY")
    monkeypatch.setenv("HTTP_PROXY", server.url)
    assert Transport("http://127.0.0.1:9", sleep=sleeps).get_json("/health") == {"ok": True}
    assert server.seen[0].path == "http://127.0.0.1:9/api/v1/health"


def test_a_missing_ca_bundle_is_an_error_at_once(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="CA bundle"):
        Transport("https://lapor.go.id", ca_bundle=tmp_path / "none.pem")


@pytest.mark.parametrize("segment", ["", ".", "..", "a\nb", "x" * 201])
def test_an_id_that_cannot_be_one_path_segment_is_refused(segment: str) -> None:
    with pytest.raises(BadIdentifier):
        api_path("attachments", segment)


def test_every_id_is_one_quoted_path_segment() -> None:
    assert api_path("offices", "../../x", "changes") == "/offices/..%2F..%2Fx/changes"
    assert api_path("attachments", "a b?c#d") == "/attachments/a%20b%3Fc%23d"
