"""Settings, the log file, error dialogs and the crash dialog, and the command line."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import build_parser, main
from desktop.errors import CrashReporter, DetailsDialog, describe, show_error
from desktop.logs import setup_logging
from desktop.settings import SCHEMA_VERSION, Settings
from sync.errors import WorkspaceError


def test_settings_defaults_round_trip_and_survive_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "p" / "settings.ini"
    settings = Settings(path)
    assert settings.language == "id"
    assert settings.sync_interval_minutes == 5
    settings.server_url = "https://lapor.example.go.id"
    settings.sync_interval_minutes = 15
    settings.window_geometry = QByteArray(b"\x01\x02")
    settings.sync()

    again = Settings(path)
    assert again.server_url == "https://lapor.example.go.id"
    assert again.sync_interval_minutes == 15
    assert bytes(again.window_geometry.data()) == b"\x01\x02"
    assert again.schema_version == SCHEMA_VERSION

    again.qsettings.setValue("ui/language", "klingon")
    again.qsettings.setValue("sync/interval_minutes", "soon")
    assert again.language == "id"
    assert again.sync_interval_minutes == 5


def test_settings_file_holds_no_secret_keys(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    settings.server_url = "https://x"
    settings.last_username = "siti"
    settings.sync()
    text = (tmp_path / "settings.ini").read_text(encoding="utf-8").lower()
    assert "password" not in text and "token" not in text


def test_the_log_never_holds_a_secret(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("test.secrets")
    log.info("login password=%s for %s", "Rahasia123!", "siti")
    log.info("headers {'Authorization': 'Bearer eyJhbGciOi.abc.def'}")
    log.info('body {"refresh_token": "r-123-secret", "username": "siti"}')
    try:
        raise ValueError("token=tok-999 refused")
    except ValueError:
        log.exception("while talking to the server")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in ("Rahasia123!", "eyJhbGciOi", "r-123-secret", "tok-999"):
        assert secret not in text
    assert "siti" in text and "ValueError" in text


def test_expected_errors_read_calmly_and_copy_their_details(qtbot: QtBot) -> None:
    error = WorkspaceError("invalid_credentials", "bad password for siti")
    message, details = describe(error)
    assert message == "Nama pengguna atau kata sandi salah."
    assert "invalid_credentials" in details
    dialog = show_error(None, error)
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == message
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details


def test_unexpected_errors_in_threads_show_one_dialog_and_are_logged(
    qtbot: QtBot, crash_reporter: CrashReporter, tmp_path: Path
) -> None:
    log_path = setup_logging(tmp_path / "logs")
    crash_reporter.install()

    def broken() -> None:
        raise RuntimeError("kaput in a worker")

    for _ in range(2):
        thread = threading.Thread(target=broken)
        thread.start()
        thread.join()
    qtbot.wait_until(lambda: crash_reporter.dialog is not None, timeout=5000)
    dialog = crash_reporter.dialog
    assert isinstance(dialog, DetailsDialog)
    assert "kaput in a worker" in dialog.details
    # The second, identical fault did not open a second window.
    open_dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, DetailsDialog) and w.isVisible()
    ]
    assert open_dialogs == [dialog]
    dialog.close()
    qtbot.wait_until(lambda: crash_reporter.dialog is None, timeout=5000)
    crash_reporter.report(RuntimeError, RuntimeError("kaput in a worker"), None)
    QGuiApplication.processEvents()
    assert crash_reporter.dialog is None  # already shown once
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "kaput in a worker" in log_path.read_text(encoding="utf-8")


def test_the_command_line_knows_demo_profile_language_and_reserved_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = build_parser()
    args = parser.parse_args(["--demo", "--profile", str(tmp_path), "--lang", "en"])
    assert args.demo and args.profile == tmp_path and args.lang == "en"
    assert parser.parse_args(["sync", "--profile", str(tmp_path)]).command == "sync"
    assert parser.parse_args(["--self-test"]).self_test
    with pytest.raises(SystemExit):
        main(["--lang", "fr"])
