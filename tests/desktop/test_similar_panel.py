"""Pengaduan Serupa beside the report (issue 16): the same topic first, a reply reused safely."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.shortcuts import Shortcut
from desktop.views import similar_panel
from desktop.views.inbox import InboxView
from desktop.views.incident_links import GroupAnswerDialog, IncidentSection
from sync.incidents import LinkState
from tests.sync.test_memory import HISTORY, NEW, past

SAME_TOPIC = "LAP-2026-0000101"  # a road with holes, answered, the reporter satisfied
CONFIDENTIAL = "LAP-2026-0000104"
EARLIEST = "LAP-2026-0000101"  # nothing came before it


@pytest.fixture
def office_complaints() -> list[Any]:
    return [*HISTORY, NEW]


def inbox(qtbot: QtBot, session: Session, more: int = 0) -> InboxView:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.resize(1196, 700)  # beside the navigation of a 1366-pixel window
    view.show()
    qtbot.wait_exposed(view)
    qtbot.wait_until(lambda: view.model.rowCount() == len(HISTORY) + 1 + more, timeout=5000)
    return view


def opened(qtbot: QtBot, view: InboxView, complaint_id: str) -> similar_panel.SimilarPanel:
    view.open_complaint(complaint_id)
    panel = view.similar
    qtbot.wait_until(lambda: panel.shown_for == complaint_id, timeout=5000)
    return panel


def shown_panel(qtbot: QtBot, view: InboxView) -> similar_panel.SimilarPanel:
    """The one on screen: in the report's page, or beside the editor once it is open."""
    editing = view.right.currentWidget() is view.editor
    panel = view.similar_beside if editing else view.similar
    assert panel.isVisible()
    qtbot.wait_until(lambda: panel.shown_for == view.editor.complaint_id if editing
                     else panel.shown_for == view.detail.complaint_id, timeout=5000)
    return panel


def use_first(qtbot: QtBot, view: InboxView) -> None:
    panel = shown_panel(qtbot, view)
    with qtbot.wait_signal(panel.draft_ready, timeout=5000):
        panel.cards[0].use_button.click()
    qtbot.wait_until(lambda: not view.editor.loading, timeout=5000)  # the text goes in then


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
    with qtbot.wait_signal(view.editor.opened, timeout=10_000):
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


BRIDGE_A = past("LAP-2026-0000401", 3, "Jembatan Tukad Badung retak",
                "Jembatan di Tukad Badung retak dan bergoyang saat dilewati truk.",
                reporter={"name": "Ketut Arsa", "phone": None, "email": None})
BRIDGE_B = past("LAP-2026-0000402", 2, "Retakan di jembatan Tukad Badung",
                "Ada retakan besar di jembatan Tukad Badung, takut ambruk.",
                reporter={"name": "Putu Sari", "phone": None, "email": None})


def links_shown(qtbot: QtBot, view: InboxView, complaint_id: str) -> IncidentSection:
    view.open_complaint(complaint_id)
    section = view.similar.incidents
    qtbot.wait_until(lambda: section.shown_for == complaint_id, timeout=5000)
    return section


@pytest.mark.parametrize("office_complaints", [[*HISTORY, NEW, BRIDGE_A, BRIDGE_B]])
def test_a_suggested_incident_is_confirmed_and_answered_together_each_its_own(
    qtbot: QtBot, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = inbox(qtbot, session, more=2)
    section = links_shown(qtbot, view, BRIDGE_A.id)
    [card] = section.cards
    assert card.link.complaint_id == BRIDGE_B.id
    assert card.state.text().startswith("Disarankan")
    assert not section.group_button.isVisibleTo(section)  # nothing confirmed yet

    card.same_button.click()
    qtbot.wait_until(lambda: bool(section.cards)
                     and section.cards[0].link.state is LinkState.CONFIRMED, timeout=5000)
    assert section.group_button.isVisibleTo(section)
    notes = [r for r in session.workspace.complaint(BRIDGE_B.id).replies if r.kind.value == "note"]
    assert len(notes) == 1  # the other report holds the decision too (synced as a note)

    # The officer began the answer here, filled for this report's reporter.
    with qtbot.wait_signal(view.editor.opened, timeout=10_000):
        session.edit_reply.emit(BRIDGE_A.id, "", "respond")
    qtbot.keyClicks(view.editor.text, "Yth. Ketut Arsa, jembatan akan diperiksa besok.")

    def accept(dialog: GroupAnswerDialog) -> int:
        assert "Ketut Arsa" in dialog.text.toPlainText()
        assert dialog.reports.count() == 2
        return GroupAnswerDialog.DialogCode.Accepted

    monkeypatch.setattr(GroupAnswerDialog, "exec", accept)
    beside = view.similar_beside.incidents  # the column beside the editor knows the link too
    qtbot.wait_until(lambda: beside.shown_for == BRIDGE_A.id and bool(beside.confirmed()),
                     timeout=5000)
    with qtbot.wait_signal(view.editor.opened, timeout=10_000):  # on this report's copy again
        beside.group_button.click()

    copies = {cid: [r for r in session.workspace.complaint(cid).replies
                    if r.kind.value == "respond"] for cid in (BRIDGE_A.id, BRIDGE_B.id)}
    assert [len(replies) for replies in copies.values()] == [1, 1]
    # Submitted here too: it waits for approval like the other copy.
    assert copies[BRIDGE_A.id][0].state.value == "awaiting_approval"
    other = session.workspace.reply(copies[BRIDGE_B.id][0].id)
    assert other.text == "Yth. Putu Sari, jembatan akan diperiksa besok."
    assert other.state.value == "awaiting_approval"
    assert view.editor.complaint_id == BRIDGE_A.id
    assert view.editor.text.toPlainText() == "Yth. Ketut Arsa, jembatan akan diperiksa besok."


@pytest.mark.parametrize("office_complaints", [[*HISTORY, NEW, BRIDGE_A, BRIDGE_B]])
def test_a_dismissed_suggestion_leaves_the_list(qtbot: QtBot, session: Session) -> None:
    view = inbox(qtbot, session, more=2)
    section = links_shown(qtbot, view, BRIDGE_B.id)

    def shown() -> set[str]:
        return {card.link.complaint_id for card in section.cards}

    assert BRIDGE_A.id in shown()
    next(c for c in section.cards if c.link.complaint_id == BRIDGE_A.id).not_button.click()
    qtbot.wait_until(lambda: BRIDGE_A.id not in shown() and section.cards_enabled(),
                     timeout=5000)
    links_shown(qtbot, view, BRIDGE_A.id)
    assert BRIDGE_B.id not in shown()  # nor suggested from the other side


def test_the_report_holds_the_panel_and_the_editor_has_it_beside(
    qtbot: QtBot, session: Session
) -> None:
    """At 1366x768 the list keeps its width for a report; the writer gets a column."""
    view = inbox(qtbot, session)
    list_width = view.splitter.sizes()[0]
    panel = opened(qtbot, view, NEW.id)
    assert panel.parent() is not None and view.detail.isAncestorOf(panel)  # in the report
    assert not view.similar_beside.isVisible() and view.splitter.sizes()[0] == list_width
    with qtbot.wait_signal(view.editor.opened, timeout=10_000):
        session.edit_reply.emit(NEW.id, "", "respond")
    assert view.similar_beside.isVisible() and view.similar_toggle.isChecked()
    assert view.splitter.sizes()[0] < list_width  # room for the column
    assert shown_panel(qtbot, view).cards[0].item.id == SAME_TOPIC
    view.similar_toggle.click()  # not wanted while writing: remembered for the editor only
    assert not view.similar_beside.isVisible() and session.settings.similar_with_editor == 0
    view.editor.back_button.click()
    assert view.similar.isVisible() and view.similar_toggle.isChecked()
    assert view.splitter.sizes()[0] == list_width
