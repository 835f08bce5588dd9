"""Searching the inbox while typing: a hint below two letters, and only the newest search shows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.models.complaints import (
    ComplaintFilter,
    ComplaintTableModel,
    Stop,
    WorkspaceComplaints,
)
from desktop.session import Session
from desktop.views.inbox import InboxView
from desktop.workers import TaskRunner
from sync import workspace as workspace_module
from sync.errors import ErrorCode, WorkspaceError


def shown_ids(model: ComplaintTableModel) -> list[str]:
    return [model.summary(row).id for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_one_letter_shows_a_hint_and_leaves_the_list_as_it_was(
    qtbot: QtBot, session: Session
) -> None:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.show()
    qtbot.wait_until(lambda: not view.model.loading and view.model.rowCount() == 4, timeout=5000)
    assert view.search_hint.isHidden()
    qtbot.keyClicks(view.search, "k")
    assert view.search_hint.isVisible()
    assert view.search_hint.text() == "Ketik minimal 2 huruf untuk mencari"
    qtbot.wait(view.search_timer.interval() + 100)  # the pause after typing: still no search
    assert view.model.filter.search == "" and view.model.rowCount() == 4
    qtbot.keyClicks(view.search, "tp")
    assert view.search_hint.isHidden()
    qtbot.wait_until(lambda: shown_ids(view.model) == ["LAP-2026-0000002"], timeout=5000)
    view.search.clear()
    assert view.search_hint.isHidden()  # nothing typed: nothing to explain


class HeldSource(WorkspaceComplaints):
    """The office's real rows; a search for ``held`` waits until released or stopped."""

    def __init__(self, workspace: Any, held: str) -> None:
        super().__init__(workspace)
        self.held = held
        self.release = threading.Event()
        self.stopped = threading.Event()

    def fetch(self, flt: ComplaintFilter, sort: str | None, descending: bool, offset: int,
              limit: int, stop: Stop | None = None) -> list[Any]:
        if flt.search == self.held:
            while not self.release.wait(0.005):
                if stop is not None and stop():
                    self.stopped.set()
                    break
        return super().fetch(flt, sort, descending, offset, limit, stop)


def test_a_newer_search_is_not_kept_waiting_and_the_stale_one_never_shows(
    qtbot: QtBot, workspace: Any, runner: TaskRunner
) -> None:
    source = HeldSource(workspace, held="jalan")
    model = ComplaintTableModel(source, runner)
    qtbot.wait_until(lambda: not model.loading and model.rowCount() == 4, timeout=5000)
    model.set_filter(ComplaintFilter(search="jalan"))  # slow: held
    model.set_filter(ComplaintFilter(search="lampu"))  # typed on before it answered
    qtbot.wait_until(lambda: not model.loading, timeout=5000)
    assert shown_ids(model) == ["LAP-2026-0000003"]  # while the older one is still held
    assert source.stopped.wait(5)  # and that one was told to stop
    source.release.set()
    runner.wait_for_done(5000)
    qtbot.wait(50)  # its answer, if any, is delivered now
    assert shown_ids(model) == ["LAP-2026-0000003"] and not model.loading
    assert model.filter.search == "lampu"


def test_a_stopped_query_ends_in_sqlite_and_leaves_the_connection_clean(
    workspace: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_module, "_STOP_CHECK_STEPS", 1)  # ask at once
    with pytest.raises(WorkspaceError) as stopped:
        workspace.complaints(search="jalan", stop=lambda: True)
    assert stopped.value.code == ErrorCode.CANCELLED
    with pytest.raises(WorkspaceError):
        workspace.count_complaints(stop=lambda: True)
    # The pooled connections answer in full afterwards.
    for _ in range(3):
        assert len(workspace.complaints(stop=lambda: False)) == 4
        assert workspace.count_complaints() == 4
