"""Pengaduan Serupa beside the report (issue 16): the same topic first, a reply reused safely."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.shortcuts import Shortcut
from desktop.views import similar_panel
from desktop.views.inbox import InboxView
from tests.sync.test_memory import HISTORY, NEW

SAME_TOPIC = "LAP-2026-0000101"  # a road with holes, answered, the reporter satisfied
CONFIDENTIAL = "LAP-2026-0000104"
EARLIEST = "LAP-2026-0000101"  # nothing came before it


@pytest.fixture
def office_complaints() -> list[Any]:
    return [*HISTORY, NEW]


def inbox(qtbot: QtBot, session: Session) -> InboxView:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.resize(1196, 700)  # beside the navigation of a 1366-pixel window
    view.show()
    qtbot.wait_exposed(view)
    qtbot.wait_until(lambda: view.model.rowCount() == len(HISTORY) + 1, timeout=5000)
    return view


def opened(qtbot: QtBot, view: InboxView, complaint_id: str) -> similar_panel.SimilarPanel:
    view.open_complaint(complaint_id)
    panel = view.similar
    qtbot.wait_until(lambda: panel.shown_for == complaint_id, timeout=5000)
    return panel


def use_first(qtbot: QtBot, view: InboxView) -> None:
    with qtbot.wait_signal(view.similar.draft_ready, timeout=5000):
        view.similar.cards[0].use_button.click()


def test_the_same_topic_comes_first_with_its_outcome_and_reply(
    qtbot: QtBot, session: Session
) -> None:
    view = inbox(qtbot, session)
    panel = opened(qtbot, view, NEW.id)
    first = panel.cards[0]
    assert first.item.id == SAME_TOPIC
    assert first.outcome.text() == "Selesai, pelapor puas"
    assert "Dinas PUPR" in first.reply.toolTip()  # the full text; elided in the card
    assert first.use_button.isVisibleTo(first)
    secret = next(card for card in panel.cards if card.item.id == CONFIDENTIAL)
    assert secret.title.text() == "RAHASIA"
    assert not secret.use_button.isVisibleTo(secret)  # its reply is not handed out
    assert "rahasia" not in secret.reply.text().casefold()


def test_an_earlier_complaint_with_none_before_says_so_and_another_refreshes(
    qtbot: QtBot, session: Session
) -> None:
    view = inbox(qtbot, session)
    opened(qtbot, view, NEW.id)
    panel = opened(qtbot, view, EARLIEST)
    assert panel.cards == []
    assert panel.status.text() == "Belum ada pengaduan serupa."


def test_using_a_reply_fills_the_editor_for_this_complaint(
    qtbot: QtBot, session: Session
) -> None:
    view = inbox(qtbot, session)
    opened(qtbot, view, NEW.id)
    use_first(qtbot, view)
    assert view.right.currentWidget() is view.editor
    assert view.editor.complaint_id == NEW.id
    text = view.editor.text.toPlainText()
    assert NEW.id in text and SAME_TOPIC not in text
    assert "Made Wirawan" in text and "Budi Santoso" not in text
    assert view.editor.dirty  # saved like typing


def test_typing_is_kept_unless_the_officer_agrees_to_replace_it(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = inbox(qtbot, session)
    opened(qtbot, view, NEW.id)
    session.edit_reply.emit(NEW.id, "", "respond")
    qtbot.keyClicks(view.editor.text, "Sudah kami cek ke lokasi.")
    asked: list[bool] = []

    def answer(replace: bool) -> Any:
        def ask(_parent: Any) -> bool:
            asked.append(replace)
            return replace

        return ask

    monkeypatch.setattr(similar_panel, "confirm_replace", answer(False))
    use_first(qtbot, view)
    assert asked == [False]
    assert view.editor.text.toPlainText() == "Sudah kami cek ke lokasi."

    monkeypatch.setattr(similar_panel, "confirm_replace", answer(True))
    use_first(qtbot, view)
    assert asked == [False, True]
    assert NEW.id in view.editor.text.toPlainText()
    view.editor.text.undo()  # the officer's text is one Ctrl+Z away
    assert view.editor.text.toPlainText() == "Sudah kami cek ke lokasi."


def test_the_panel_hides_and_comes_back_by_its_key(qtbot: QtBot, session: Session) -> None:
    view = inbox(qtbot, session)
    opened(qtbot, view, NEW.id)
    assert view.similar_toggle.toolTip().endswith(f"({Shortcut.SIMILAR.key_text()})")
    view.similar_toggle.click()
    assert not view.similar.isVisible() and session.settings.similar_shown == 0
    view.similar_toggle.click()
    assert view.similar.isVisible() and session.settings.similar_shown == 1
