"""Resumable uploads and attachment downloads."""

from __future__ import annotations

import gzip
import hashlib
import socket
import time
from typing import Any

import httpx

from server.db import Upload
from server.inprocess import start_server
from server.seed import demo_password
from sync.protocol import MAX_UPLOAD_BYTES
from tests.server.conftest import API, Api, Clock

OCTETS = "application/offset+octet-stream"
PNG = b"\x89PNG\r\n\x1a\n"


def _create(api: Api, headers: dict[str, str], data: bytes, **over: Any) -> Any:
    body = {
        "filename": "foto.png",
        "mime": "image/png",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        **over,
    }
    return api.client.post(f"{API}/uploads", json=body, headers=headers)


def _patch(api: Api, headers: dict[str, str], upload_id: str, offset: int, chunk: bytes) -> Any:
    return api.client.patch(
        f"{API}/uploads/{upload_id}",
        content=chunk,
        headers={**headers, "Upload-Offset": str(offset), "Content-Type": OCTETS},
    )


def _head(api: Api, headers: dict[str, str], upload_id: str) -> int:
    response = api.client.head(f"{API}/uploads/{upload_id}", headers=headers)
    assert response.status_code == 200
    return int(response.headers["Upload-Offset"])


def _upload(api: Api, headers: dict[str, str], data: bytes, **over: Any) -> str:
    created = _create(api, headers, data, **over)
    assert created.status_code == 201, created.text
    upload_id: str = created.json()["upload_id"]
    assert _patch(api, headers, upload_id, 0, data).status_code == 204
    return upload_id


def test_upload_in_chunks_then_download(api: Api) -> None:
    headers = api.headers("petugas1")
    data = PNG + bytes(range(256)) * 40  # the server checks a file's first bytes
    created = _create(api, headers, data)
    assert created.status_code == 201
    assert created.json()["offset"] == 0
    upload_id = created.json()["upload_id"]
    first = _patch(api, headers, upload_id, 0, data[:4000])
    assert first.status_code == 204 and first.headers["Upload-Offset"] == "4000"
    assert _head(api, headers, upload_id) == 4000
    last = _patch(api, headers, upload_id, 4000, data[4000:])
    assert last.headers["Upload-Offset"] == str(len(data))
    got = api.client.get(
        f"{API}/attachments/{upload_id}", headers={**headers, "Accept-Encoding": "gzip"}
    )
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert "content-encoding" not in got.headers
    assert got.headers["Content-Type"] == "image/png"


def test_the_same_file_again_is_deduplicated_per_office(api: Api) -> None:
    headers = api.headers("petugas1")
    data = b"sama persis"
    upload_id = _upload(api, headers, data, mime="text/plain")
    again = _create(api, api.headers("petugas2"), data, mime="text/plain")
    assert again.status_code == 200
    assert again.json() == {"upload_id": upload_id, "offset": len(data), "complete": True}
    elsewhere = _create(api, api.headers("petugas.lain"), data, mime="text/plain")
    assert elsewhere.status_code == 201 and elsewhere.json()["upload_id"] != upload_id


def test_wrong_offsets_finished_uploads_and_overruns(api: Api) -> None:
    headers = api.headers("petugas1")
    data = b"0123456789"
    upload_id = _create(api, headers, data, mime="text/plain").json()["upload_id"]
    wrong = _patch(api, headers, upload_id, 5, data[5:])
    assert wrong.status_code == 409
    assert wrong.json()["error"] == {
        "code": "offset_mismatch",
        "message": wrong.json()["error"]["message"],
        "details": {"offset": 0},
    }
    past = _patch(api, headers, upload_id, 0, data + b"lebih")
    assert past.status_code == 413 and past.json()["error"]["code"] == "too_large"
    assert _head(api, headers, upload_id) == 0
    assert _patch(api, headers, upload_id, 0, data).status_code == 204
    done = _patch(api, headers, upload_id, 10, b"")
    assert done.status_code == 409 and done.json()["error"]["details"]["offset"] == 10


def test_a_second_patch_while_one_is_under_way_is_refused(api: Api, clock: Clock) -> None:
    headers = api.headers("petugas1")
    data = b"abcdef"
    upload_id = _create(api, headers, data, mime="text/plain").json()["upload_id"]
    caller = api.client.app.state.services.auth.caller(headers["Authorization"][7:])  # type: ignore[attr-defined]
    api.client.app.state.services.uploads.claim(caller, upload_id, 0, None)  # type: ignore[attr-defined]
    busy = _patch(api, headers, upload_id, 0, data)
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "offset_mismatch"
    clock.advance(minutes=3)  # the first PATCH died without a word: its claim lapses
    assert _patch(api, headers, upload_id, 0, data).status_code == 204


def test_a_checksum_mismatch_restarts_at_zero(api: Api) -> None:
    headers = api.headers("petugas1")
    data = b"isi yang benar"
    upload_id = _create(api, headers, data, mime="text/plain").json()["upload_id"]
    bad = _patch(api, headers, upload_id, 0, b"isi yang salah")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "checksum_mismatch"
    assert _head(api, headers, upload_id) == 0
    assert _patch(api, headers, upload_id, 0, data).status_code == 204


def test_types_sizes_and_bodies_that_are_refused(api: Api) -> None:
    headers = api.headers("petugas1")
    exe = _create(api, headers, b"MZ", mime="application/x-msdownload", filename="virus.exe")
    assert exe.status_code == 415 and exe.json()["error"]["code"] == "unsupported_media_type"
    huge = _create(api, headers, b"", size=MAX_UPLOAD_BYTES + 1, sha256="0" * 64)
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "too_large"
    bad_hash = _create(api, headers, b"x", sha256="XYZ")
    assert bad_hash.status_code == 422
    upload_id = _create(api, headers, b"x", mime="text/plain").json()["upload_id"]
    wrong_type = api.client.patch(
        f"{API}/uploads/{upload_id}",
        content=b"x",
        headers={**headers, "Upload-Offset": "0", "Content-Type": "text/plain"},
    )
    assert wrong_type.status_code == 415
    no_offset = api.client.patch(
        f"{API}/uploads/{upload_id}", content=b"x", headers={**headers, "Content-Type": OCTETS}
    )
    assert no_offset.status_code == 422 and no_offset.json()["error"]["code"] == "validation_error"


def test_an_empty_file_is_complete_at_once(api: Api) -> None:
    headers = api.headers("petugas1")
    created = _create(api, headers, b"", mime="text/plain")
    assert created.status_code == 201 and created.json()["complete"] is True
    got = api.client.get(f"{API}/attachments/{created.json()['upload_id']}", headers=headers)
    assert got.status_code == 200 and got.content == b""


def test_file_names_are_sanitised(api: Api) -> None:
    headers = api.headers("petugas1")
    upload_id = _upload(api, headers, b"x", mime="text/plain", filename="../../etc/\x00pass wd.txt")
    got = api.client.get(f"{API}/attachments/{upload_id}", headers=headers)
    disposition = got.headers["Content-Disposition"]
    assert (
        "pass%20wd.txt" in disposition
        and ".." not in disposition
        and "/" not in disposition.split("''")[1]
    )


def test_ranges(api: Api) -> None:
    headers = api.headers("petugas1")
    data = b"%PDF-" + bytes(range(95))
    upload_id = _upload(api, headers, data, mime="application/pdf")
    url = f"{API}/attachments/{upload_id}"
    tail = api.client.get(url, headers={**headers, "Range": "bytes=90-"})
    assert tail.status_code == 206 and tail.content == data[90:]
    assert tail.headers["Content-Range"] == "bytes 90-99/100"
    middle = api.client.get(url, headers={**headers, "Range": "bytes=10-19"})
    assert middle.status_code == 206 and middle.content == data[10:20]
    suffix = api.client.get(url, headers={**headers, "Range": "bytes=-5"})
    assert suffix.content == data[95:]
    outside = api.client.get(url, headers={**headers, "Range": "bytes=100-"})
    assert outside.status_code == 416
    assert outside.json()["error"]["code"] == "range_not_satisfiable"
    assert outside.headers["Content-Range"] == "bytes */100"
    cached = api.client.get(url, headers={**headers, "If-None-Match": tail.headers["ETag"]})
    assert cached.status_code == 304


def test_numbers_no_file_could_hold_in_headers_are_4xx_not_500(api: Api) -> None:
    """Python's int() refuses over 4,300 digits; the header's reader must not ask it to."""
    headers = api.headers("petugas1")
    data = b"%PDF-" + bytes(range(95))
    upload_id = _upload(api, headers, data, mime="application/pdf")
    url = f"{API}/attachments/{upload_id}"
    huge = "9" * 4301

    def get(value: str | bytes) -> Any:
        return api.client.get(url, headers={**headers, "Range": value})

    start = get(f"bytes={huge}-")
    assert start.status_code == 416 and start.json()["error"]["code"] == "range_not_satisfiable"
    assert get(f"bytes={huge}-{huge}").status_code == 416
    to_end = get(f"bytes=90-{huge}")
    assert to_end.status_code == 206 and to_end.content == data[90:]
    whole_suffix = get(f"bytes=-{huge}")
    assert whole_suffix.status_code == 206 and whole_suffix.content == data
    # Digits of other scripts are no numbers here: not a range we serve, so the whole file.
    arabic = get("bytes=\u0661\u0662-".encode())
    assert arabic.status_code == 200 and arabic.content == data
    offset = api.client.patch(
        f"{API}/uploads/{upload_id}",
        content=b"x",
        headers={**headers, "Upload-Offset": huge, "Content-Type": OCTETS},
    )
    assert 400 <= offset.status_code < 500, offset.text
    for length in (huge.encode(), b"\xb2"):  # "2" superscript, a digit to str.isdigit()
        login = api.client.post(
            f"{API}/auth/token",
            content=b"{}",
            headers={"Content-Length": length, "Content-Type": "application/json"},
        )
        assert 400 <= login.status_code < 500, (length[:8], login.text)
    too_long = api.client.post(
        f"{API}/auth/token", content=b"{}", headers={"Content-Length": huge}
    )
    assert too_long.json()["error"]["code"] == "too_large"


def test_another_offices_files_are_forbidden(api: Api) -> None:
    upload_id = _upload(api, api.headers("petugas1"), b"rahasia kantor", mime="text/plain")
    other = api.headers("petugas.lain")
    for response in (
        api.client.get(f"{API}/attachments/{upload_id}", headers=other),
        api.client.head(f"{API}/uploads/{upload_id}", headers=other),
        _patch(api, other, upload_id, 0, b"x"),
    ):
        assert response.status_code == 403
    missing = api.client.get(f"{API}/attachments/tidak-ada", headers=other)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_seeded_attachment_downloads_for_its_office(api: Api) -> None:
    got = api.client.get(f"{API}/attachments/att-kantor-demo-1", headers=api.headers("petugas1"))
    assert got.status_code == 200 and got.content.startswith(b"\x89PNG")
    pdf = api.client.get(f"{API}/attachments/att-kantor-demo-6", headers=api.headers("petugas1"))
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")


def test_bytes_before_a_cut_are_kept(db_url: str) -> None:
    with (
        start_server(db_url, rate_limit=None) as server,
        httpx.Client(base_url=server.api_url) as client,
    ):
        login = client.post(
            "/auth/token",
            json={"username": "petugas1", "password": demo_password("petugas1"), "device_id": "pc"},
        ).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        data = b"%PDF-" + bytes(range(256)) * 8
        digest = hashlib.sha256(data).hexdigest()
        body = {"filename": "a.pdf", "mime": "application/pdf", "size": len(data), "sha256": digest}
        upload_id = client.post("/uploads", json=body, headers=headers).json()["upload_id"]
        request = (
            f"PATCH /api/v1/uploads/{upload_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: {headers['Authorization']}\r\nUpload-Offset: 0\r\n"
            f"Content-Type: {OCTETS}\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", server.port)) as raw:
            raw.sendall(request + data[:700])
            _wait_for_claim(server, upload_id)
            time.sleep(0.2)  # let it read what came before the line goes dead
        offset, deadline = 0, time.monotonic() + 10
        while offset == 0 and time.monotonic() < deadline:  # the server sees the cut soon
            time.sleep(0.02)
            head = client.head(f"/uploads/{upload_id}", headers=headers)
            offset = int(head.headers["Upload-Offset"])
        assert offset == 700
        rest = client.patch(
            f"/uploads/{upload_id}",
            content=data[offset:],
            headers={**headers, "Upload-Offset": str(offset), "Content-Type": OCTETS},
        )
        assert rest.status_code == 204
        assert client.get(f"/attachments/{upload_id}", headers=headers).content == data


def _wait_for_claim(server: Any, upload_id: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with server.database.reading() as session:
            if session.get(Upload, upload_id).claim is not None:
                return
        time.sleep(0.02)
    raise AssertionError("the PATCH never started")


def test_a_gzipped_chunk_is_inflated(api: Api) -> None:
    headers = api.headers("petugas1")
    data = b"teks berulang " * 1000
    upload_id = _create(api, headers, data, mime="text/plain").json()["upload_id"]
    sent = api.client.patch(
        f"{API}/uploads/{upload_id}",
        content=gzip.compress(data),
        headers={
            **headers,
            "Upload-Offset": "0",
            "Content-Type": OCTETS,
            "Content-Encoding": "gzip",
        },
    )
    assert sent.status_code == 204 and sent.headers["Upload-Offset"] == str(len(data))
