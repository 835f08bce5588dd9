"""Indonesian first, English complete: the .ts follows the code, the .qm follows the .ts."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.errors import message_for_code
from desktop.i18n import (
    TS_FILE,
    compile_qm,
    install_translators,
    remove_translators,
    translations_dir,
    update_ts,
)
from desktop.mainwindow import MainWindow
from desktop.models.complaints import COLUMNS
from desktop.session import Session
from desktop.syncing import SyncController
from sync.errors import ErrorCode

TS = translations_dir() / TS_FILE


def messages(ts: Path) -> dict[tuple[str, str], str | None]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            unfinished = translation is None or translation.get("type") == "unfinished"
            found[(name, message.findtext("source") or "")] = (
                None if unfinished else (translation.text or "")  # type: ignore[union-attr]
            )
    return found


def test_every_string_has_an_english_translation_with_the_same_placeholders() -> None:
    found = messages(TS)
    assert len(found) > 150
    missing = [key for key, text in found.items() if not text]
    assert missing == []
    for (_, source), text in found.items():
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", text or ""))


def test_the_ts_file_holds_every_string_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / TS_FILE
    shutil.copy(TS, fresh)
    update_ts(fresh)  # what `python -m desktop.i18n` would change
    assert messages(fresh) == messages(TS)


def test_the_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "lapor_en.qm"
    compile_qm(TS, built)
    assert built.read_bytes() == TS.with_suffix(".qm").read_bytes()


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "en")
    yield
    remove_translators(qapp, translators)
    install_translators(qapp, "id")


def test_the_app_speaks_indonesian_by_default(qtbot: QtBot, session: Session) -> None:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "Laporan"
    assert window.statusBar().sync_button.text() == "Sinkronkan sekarang"


def test_the_app_speaks_english_when_asked(qtbot: QtBot, session: Session, english: None) -> None:
    window = MainWindow(session, SyncController(session))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Complaints", "Outbox", "Performance", "Settings"]
    bar = window.statusBar()
    assert (bar.sync_button.text(), bar.online_label.text()) == ("Sync now", "○ Offline")
    inbox = window.pages["inbox"]
    deadline = [key for key, _ in COLUMNS].index("deadline")
    assert inbox.model.headerData(deadline, Qt.Orientation.Horizontal) == "Deadline"
    inbox.open_complaint("LAP-2026-0000003")
    assert inbox.detail.fields["reporter"].text() == "Anonymous"


def every_sentence() -> dict[ErrorCode, str]:
    return {code: message_for_code(code) for code in ErrorCode}


def test_every_error_code_has_its_own_sentence_in_both_languages(qapp: QApplication) -> None:
    general = message_for_code(None)
    indonesian = every_sentence()
    assert [code for code, text in indonesian.items() if text == general] == []
    assert "berkas" not in indonesian[ErrorCode.LOGIN_REQUIRED]  # it once spoke of uploading
    translators = install_translators(qapp, "en")
    try:
        english = every_sentence()
    finally:
        remove_translators(qapp, translators)
        install_translators(qapp, "id")
    untranslated = [code for code in ErrorCode if english[code] == indonesian[code]]
    assert untranslated == []
