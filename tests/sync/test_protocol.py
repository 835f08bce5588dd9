"""The shared wire: canonical JSON, approval signatures and the digest."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from sync import protocol

PAYLOAD = {"text": "Jalan di Desa Mas sudah kami perbaiki. Terima kasih 🙏", "attachment_ids": []}
WHEN = datetime(2026, 11, 27, 8, 15, 30, 123456, tzinfo=UTC)


def _sign(key: Ed25519PrivateKey, payload: dict[str, object] = PAYLOAD) -> protocol.Approval:
    signed = protocol.sign_approval(
        key,
        supervisor_id="u-atasan",
        device_id="dev-1",
        mutation_type="respond",
        complaint_id="LAP-2026-0000001",
        base_version=3,
        payload=payload,
        approved_at=WHEN,
    )
    return protocol.Approval.model_validate(signed)


def _verify(key: Ed25519PrivateKey, approval: protocol.Approval, **changes: object) -> bool:
    args: dict[str, object] = {
        "mutation_type": "respond",
        "complaint_id": "LAP-2026-0000001",
        "base_version": 3,
        "payload": PAYLOAD,
    }
    args.update(changes)
    return protocol.verify_approval(key.public_key(), approval, **args)  # type: ignore[arg-type]


def test_canonical_json_is_sorted_compact_utf8_without_escapes() -> None:
    data = {"b": 1, "a": {"é": "ü", "A": [True, None]}}
    assert protocol.canonical_json(data) == '{"a":{"A":[true,null],"é":"ü"},"b":1}'.encode()


def test_canonical_json_refuses_floats_anywhere() -> None:
    with pytest.raises(ValueError, match="floats"):
        protocol.canonical_json({"payload": {"lat": [1, -8.65]}})


def test_content_hash_is_the_sha256_of_the_documented_object() -> None:
    expected = hashlib.sha256(
        (
            '{"base_version":3,"complaint_id":"LAP-2026-0000001","payload":'
            '{"attachment_ids":[],"text":"Jalan di Desa Mas sudah kami perbaiki. '
            'Terima kasih 🙏"},"type":"respond"}'
        ).encode()
    ).hexdigest()
    assert protocol.content_sha256("respond", "LAP-2026-0000001", 3, PAYLOAD) == expected


def test_approval_round_trip_and_timestamp_format() -> None:
    key = Ed25519PrivateKey.generate()
    approval = _sign(key)
    assert approval.approved_at == "2026-11-27T08:15:30Z"
    assert _verify(key, approval)


def test_signature_is_over_the_documented_message() -> None:
    key = Ed25519PrivateKey.generate()
    approval = _sign(key)
    message = (
        "LAPOR-APPROVAL-v1\n" + approval.content_sha256 + "\nu-atasan\n2026-11-27T08:15:30Z"
    ).encode()
    key.public_key().verify(base64.b64decode(approval.signature), message)


@pytest.mark.parametrize(
    "changes",
    [
        {"payload": {**PAYLOAD, "text": PAYLOAD["text"] + " "}},
        {"base_version": 4},
        {"complaint_id": "LAP-2026-0000002"},
        {"mutation_type": "complete"},
    ],
)
def test_any_change_to_the_approved_action_breaks_the_approval(changes: dict[str, object]) -> None:
    key = Ed25519PrivateKey.generate()
    assert not _verify(key, _sign(key), **changes)


def test_another_key_or_a_tampered_signer_does_not_verify() -> None:
    key = Ed25519PrivateKey.generate()
    approval = _sign(key)
    assert not _verify(Ed25519PrivateKey.generate(), approval)
    forged = approval.model_copy(update={"supervisor_id": "u-other"})
    assert not _verify(key, forged)
    garbage = approval.model_copy(update={"signature": "not base64!"})
    assert not _verify(key, garbage)


def test_public_key_encoding_round_trips_and_rejects_wrong_length() -> None:
    key = Ed25519PrivateKey.generate()
    loaded = protocol.load_public_key(protocol.public_key_b64(key))
    approval = _sign(key)
    assert protocol.verify_approval(
        loaded,
        approval,
        mutation_type="respond",
        complaint_id="LAP-2026-0000001",
        base_version=3,
        payload=PAYLOAD,
    )
    with pytest.raises(ValueError):
        protocol.load_public_key(base64.b64encode(b"short").decode())


def test_times_are_utc_with_z_and_naive_times_are_refused() -> None:
    wita = timezone(timedelta(hours=8))
    assert protocol.format_time(datetime(2026, 1, 2, 8, 0, tzinfo=wita)) == "2026-01-02T00:00:00Z"
    assert protocol.parse_time("2026-01-02T00:00:00Z") == datetime(2026, 1, 2, tzinfo=UTC)
    with pytest.raises(ValueError):
        protocol.format_time(datetime(2026, 1, 2))


def test_scope_digest_hashes_sorted_id_version_lines() -> None:
    expected = hashlib.sha256(b"A:1\nB:12\n").hexdigest()
    assert protocol.scope_digest({"B": 12, "A": 1}) == expected
    assert protocol.scope_digest({}) == hashlib.sha256(b"").hexdigest()


def test_payload_validation_enforces_the_contract_limits() -> None:
    protocol.validate_payload("respond", {"text": "x" * 20_000, "attachment_ids": []})
    protocol.validate_payload("note", {"text": "Catatan"})
    for mutation_type, payload in [
        ("respond", {"text": ""}),
        ("respond", {"text": "x" * 20_001}),
        ("note", {"text": "ok", "extra": 1}),
        ("request_reassignment", {"suggested_agency": "Dinas PU"}),
        ("decide_review", {"review_id": "r1", "decision": "maybe"}),
    ]:
        with pytest.raises(ValidationError):
            protocol.validate_payload(mutation_type, payload)
