"""The outbox says why an item stopped in the officer's words, the server's own after them."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.errors import message_for_code
from desktop.views.outbox import error_text
from sync.errors import ErrorCode
from sync.values import OutboxEntry, OutboxState


def entry(code: ErrorCode | None, said: str | None) -> OutboxEntry:
    return OutboxEntry("m-1", "r-1", "respond", "LAP-2026-0000001", OutboxState.REJECTED,
                       datetime(2026, 12, 1, tzinfo=UTC), 1, said, code)


def test_a_refusal_reads_as_a_sentence_then_the_servers_words() -> None:
    sentence = message_for_code(ErrorCode.VALIDATION)
    assert "validation_error" not in sentence
    shown = error_text(entry(ErrorCode.VALIDATION, "Teks terlalu singkat"))
    assert shown == f"{sentence} (Teks terlalu singkat)"


def test_a_conflict_is_a_sentence_and_nothing_is_nothing() -> None:
    assert error_text(entry(ErrorCode.CONFLICT, None)) == message_for_code(ErrorCode.CONFLICT)
    assert error_text(entry(None, None)) == ""
