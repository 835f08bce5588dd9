"""``lapor-desk --self-test``: the report a support person reads, and its exit code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QApplication

from desktop.mainwindow import MainWindow
from desktop.selftest import (
    FAIL,
    OK,
    WARN,
    CheckResult,
    SelfTest,
    deliver,
    exit_code,
    format_report,
    use_offscreen_without_display,
)
from tests.conftest import MemoryKeyring
from tests.helpers.replica import FAST_KDF

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [
    "package",
    "bundle",
    "deadline rules",
    "holidays",
    "profile",
    "sqlcipher",
    "secret store",
    "certificates",
    "qt",
    "translations",
    "pdf",
    "demo sync",
    "main window",
]


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {result.name: result for result in results}


def frozen_layout(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be a PyInstaller app unpacked in ``root``; returns its resources folder."""
    monkeypatch.setattr(sys, "_MEIPASS", str(root), raising=False)
    return root / "resources"


def english_source_in_frozen_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen app's translations folder holding ``lapor_en.ts`` only; returns the folder."""
    translations = frozen_layout(tmp_path / "frozen", monkeypatch) / "translations"
    translations.mkdir(parents=True)
    (translations / "lapor_en.ts").write_text(ENGLISH_TS, encoding="utf-8")
    return translations


def lrelease(ts: Path) -> Path:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(tool), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True, capture_output=True
    )
    return ts.with_suffix(".qm")


ENGLISH_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="id">
<context><name>MainWindow</name>
<message><source>Kotak Keluar</source><translation>Outbox</translation></message>
</context>
</TS>
"""


def test_a_working_installation_passes_every_check(
    qapp: QApplication, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    results = SelfTest(tmp_path, secret_backend=memory_keyring, kdf_n=FAST_KDF).run()
    checks = by_name(results)
    assert list(checks) == CHECKS
    assert [r for r in results if r.status == FAIL] == []
    assert checks["profile"].status == OK
    assert "offline login works" in checks["profile"].detail
    assert "a wrong key is refused" in checks["sqlcipher"].detail
    assert checks["pdf"].detail.endswith("font embedded)")
    # A supervisor sees every screen, and each one is drawn.
    assert (
        "login screen and 5 screens (Laporan, Kotak Keluar, Persetujuan, Kinerja, Pengaturan)"
        in (checks["main window"].detail)
    )
    # The embedded demo server answers a real login and a sync.
    demo = checks["demo sync"]
    assert demo.status == OK
    assert re.fullmatch(r"logged in online as atasan1, synced [1-9]\d* complaints", demo.detail)
    assert ", complaint LAP-2026-" in checks["main window"].detail
    assert "with its reply editor" in checks["main window"].detail
    assert exit_code(results) == 0
    # The probe leaves nothing behind in the keyring.
    assert memory_keyring.secrets == {}
    report = format_report(results)
    assert report.splitlines()[0].startswith("LAPOR Desk ")
    assert report.splitlines()[-1].startswith("self-test passed: 13 checks, 0 failed")


def test_no_os_keyring_is_a_warning_not_a_failure(qapp: QApplication, tmp_path: Path) -> None:
    test = SelfTest(tmp_path, secret_backend=fail.Keyring(), kdf_n=FAST_KDF)
    result = by_name(test.run())["secret store"]
    assert result.status == WARN
    assert "no usable OS keyring" in result.detail
    assert "nothing is written in plaintext" in result.detail


def test_a_build_that_lost_its_data_files_fails(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    frozen_layout(tmp_path / "frozen", monkeypatch)  # no resources/ at all
    results = SelfTest(tmp_path / "work", secret_backend=memory_keyring, kdf_n=FAST_KDF).run()
    checks = by_name(results)
    assert checks["deadline rules"].status == FAIL
    assert "default.json" in checks["deadline rules"].detail
    # Without its rules the workspace cannot open, and the window is not drawn.
    assert checks["profile"].status == FAIL
    assert checks["main window"].detail.startswith("not run:")
    assert checks["bundle"].status == OK  # nothing in the fake bundle lies
    assert checks["qt"].status == FAIL
    assert "the app icon" in checks["qt"].detail
    assert exit_code(results) == 1
    assert "self-test FAILED" in format_report(results)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_link_to_a_library_the_build_left_out_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "frozen"
    frozen_layout(root, monkeypatch)
    (root / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (root / "libQt6Quick.so.6").symlink_to("PySide6/Qt/lib/libQt6Quick.so.6")
    [result] = SelfTest(tmp_path / "work").run(only=["bundle"])
    assert (result.status, result.detail) == (FAIL, "links that lead nowhere (1): libQt6Quick.so.6")


def test_a_translation_source_without_its_built_file_fails(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english_source_in_frozen_app(tmp_path, monkeypatch)
    [result] = SelfTest(tmp_path / "work").run(only=["translations"])
    assert (result.status, result.detail) == (FAIL, "lapor_en.ts not built into .qm (run lrelease)")


def test_built_translations_load_and_the_report_says_if_qt_speaks_indonesian(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translations = english_source_in_frozen_app(tmp_path, monkeypatch)
    lrelease(translations / "lapor_en.ts")
    [result] = SelfTest(tmp_path / "work").run(only=["translations"])
    # Qt ships no qtbase_id.qm: the app runs, with Qt's own dialogs in English.
    assert result == CheckResult(
        "translations",
        OK,
        "lapor_en.qm load; no qtbase_id.qm, so Qt's own dialogs speak English",
    )
    shutil.copy(translations / "lapor_en.qm", translations / "qtbase_id.qm")  # a stand-in
    [result] = SelfTest(tmp_path / "work").run(only=["translations"])
    assert result.detail == f"lapor_en.qm load; qtbase_id.qm in {translations}"
    # The check leaves the application in Indonesian.
    assert QApplication.translate("MainWindow", "Kotak Keluar") == "Kotak Keluar"


def test_no_translation_at_all_is_a_warning(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen_layout(tmp_path / "frozen", monkeypatch) / "translations").mkdir(parents=True)
    [result] = SelfTest(tmp_path / "work").run(only=["translations"])
    assert result.status == WARN
    assert result.detail.endswith("only the Indonesian source text")


def test_qt_warnings_while_drawing_are_reported(
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,
) -> None:
    # What a frozen app missing an image plugin says while drawing a screen.
    shown = MainWindow.show_page

    def show_page_and_warn(window: MainWindow, key: str) -> Any:
        qWarning(f"QImageReader: no plugin to draw {key}")
        return shown(window, key)

    monkeypatch.setattr(MainWindow, "show_page", show_page_and_warn)
    test = SelfTest(tmp_path, secret_backend=memory_keyring, kdf_n=FAST_KDF)
    results = test.run(only=["profile", "main window"])
    window = by_name(results)["main window"]
    assert window.status == WARN
    assert window.detail.endswith("Qt warned 5x, first: QImageReader: no plugin to draw inbox")
    assert exit_code(results) == 0


def test_the_command_line_prints_the_report_and_exits_0(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        # Hermetic: never the keyring of whoever runs the tests.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TMPDIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = done.stdout.splitlines()
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert lines[0].startswith("LAPOR Desk "), report
    assert [line.split(":")[0].split(None, 1)[1] for line in lines[1:-1]] == CHECKS, report
    assert lines[-1].startswith("self-test passed: 13 checks, 0 failed"), report
    assert "WARN secret store: no usable OS keyring" in done.stdout
    # The throwaway profiles and the demo server's database are gone (Qt may
    # leave its runtime folder in TMPDIR: not ours).
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("lapor-"))
    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays")
def test_offscreen_is_chosen_only_where_no_display_exists() -> None:
    headless: dict[str, str] = {}
    assert use_offscreen_without_display(headless)
    assert headless == {"QT_QPA_PLATFORM": "offscreen"}
    # A desktop session keeps its real platform plugin, which the check then proves.
    for session in ({"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"}):
        assert not use_offscreen_without_display(session)
        assert "QT_QPA_PLATFORM" not in session
    chosen = {"QT_QPA_PLATFORM": "xcb"}
    assert not use_offscreen_without_display(chosen)
    assert chosen == {"QT_QPA_PLATFORM": "xcb"}


def test_without_a_console_the_report_goes_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = format_report([CheckResult("qt", OK, "platform windows")])
    assert deliver(report) is None
    assert capsys.readouterr().out == report + "\n"
    # The windowed lapor-desk.exe: no stdout at all.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("TEMP", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR/TEMP again
    monkeypatch.setattr(sys, "stdout", None)
    written = deliver(report)
    assert written == tmp_path / "lapor-desk-self-test.txt"
    assert written.read_text(encoding="utf-8") == report + "\n"
