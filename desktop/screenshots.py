"""Render every screen, in Indonesian and English, to PNG: ``python -m desktop.screenshots``.

For the user guide and for review. The data is the demo's: the reference
server seeded in-process, so the pictures show what ``lapor-desk --demo``
shows. Runs offscreen; nothing is shown on a display.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCREEN_SIZE = (1366, 768)  # the usual office laptop (issue 13)


def _pump(loop: list[Any] = []) -> None:  # noqa: B006 - one loop for the whole run
    """Deliver pending events for up to 10 ms.

    Through one QEventLoop: PySide6 6.12's static ``processEvents()`` drops a
    reference to None on every call, and thousands of calls abort Python.
    """
    from PySide6.QtCore import QEventLoop

    if not loop:
        loop.append(QEventLoop())
    loop[0].processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


def _wait(predicate: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("a screen did not finish loading")
        _pump()


class Studio:
    """One demo office with work in every state, and the screens drawn from it."""

    def __init__(self, out_dir: Path) -> None:
        from desktop.demo import start_demo
        from desktop.errors import CrashReporter
        from desktop.workers import TaskRunner
        from sync import Workspace

        self.out_dir = out_dir
        self.demo = start_demo(simulate=False)  # a temporary profile, removed on close
        self.passwords = {u: p for u, p, _ in self.demo.users}
        self.officer = next(u for u, _, role in self.demo.users if role == "officer")
        self.supervisor = next(u for u, _, role in self.demo.users if role == "supervisor")
        self.runner = TaskRunner(CrashReporter())
        self.ws = Workspace.open(self.demo.profile_dir, self.demo.url)
        self.ws.login(self.supervisor, self.passwords[self.supervisor])
        self.ws.login(self.officer, self.passwords[self.officer])
        self.report = self.ws.sync()
        self._make_work()

    def _make_work(self) -> None:
        ws, boss, boss_pw = self.ws, self.supervisor, self.passwords[self.supervisor]
        open_ones = [s for s in ws.complaints(status="verified") if s.reply_state is None]
        self.waiting, self.returned, self.approved, self.noted = open_ones[:4]
        waiting = ws.draft_reply(
            self.waiting.id,
            "Terima kasih atas laporan Saudara. Petugas kami sudah meninjau lokasi; "
            "perbaikan dijadwalkan pekan depan.",
        )
        ws.submit_for_approval(waiting)
        returned = ws.draft_reply(self.returned.id, "Laporan Saudara sedang kami proses.")
        ws.submit_for_approval(returned)
        ws.return_draft(returned, boss, boss_pw, "Sebutkan tanggal dan petugas yang meninjau.")
        self.returned_reply = returned
        approved = ws.draft_reply(
            self.approved.id, "Lampu jalan sudah diganti pada hari Senin. Terima kasih."
        )
        ws.submit_for_approval(approved)
        ws.approve(approved, boss, boss_pw)
        note = ws.draft_reply(self.noted.id, "Menunggu data dari kelurahan.", kind="note")
        ws.submit_for_approval(note)
        ws.login(self.officer, self.passwords[self.officer])
        self.demo.relay.cut()  # the outbox waits: the office is offline in the pictures

    # --- building screens ---------------------------------------------------------------
    def settings(self) -> Any:
        from desktop.settings import Settings

        settings = Settings(self.demo.profile_dir / "settings.ini")
        settings.server_url = self.demo.url
        settings.known_users = (self.officer, self.supervisor)
        settings.last_username = self.officer
        settings.letter_header = "Kantor Kecamatan Kuta\nJl. Raya Kuta No. 1, Badung, Bali"
        return settings

    def window(self, username: str) -> Any:
        from desktop.mainwindow import MainWindow
        from desktop.session import Session
        from desktop.syncing import SyncController

        user = self.ws.login(username, self.passwords[username])
        session = Session(self.ws, user, self.settings(), self.runner)
        controller = SyncController(session)
        controller.last_report = self.report
        window = MainWindow(session, controller)
        _wait(lambda: not window.status_bar.standing.busy)  # read on the task runner
        from PySide6.QtCore import Qt

        # The office laptop's size, not the offscreen screen's (the first run fits that).
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(*SCREEN_SIZE)
        window.show()
        return window

    def save(self, widget: Any, name: str, language: str) -> Path:
        for _ in range(5):
            _pump()
        path = self.out_dir / f"{name}-{language}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def save_letter(self, editor: Any, name: str, language: str) -> Path:
        """The reply's printed letter: the PDF the app writes, its first page drawn at 96 dpi."""
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument

        pdf = self.out_dir / f"{name}-{language}.pdf"
        if not editor.save_letter(pdf):
            raise OSError("the letter could not be written")
        document = QPdfDocument()
        document.load(str(pdf))
        image = document.render(0, QSize(794, 1123))  # A4 at 96 dpi
        document.close()
        pdf.unlink()
        path = self.out_dir / f"{name}-{language}.png"
        image.save(str(path))
        return path

    def remembered(self) -> str:
        """An open complaint with an earlier one like it that has a reply (Pengaduan Serupa),
        another report of its incident (Kejadian Sama) if the demo holds one."""
        reusable = [summary.id for summary in self.ws.complaints(status="verified")
                    if any(item.reusable for item in self.ws.similar(summary.id))]
        linked = [cid for cid in reusable if self.ws.linked(cid)]
        return str((linked or reusable or [self.ws.complaints()[0].id])[0])

    def render(self, language: str) -> list[Path]:
        from PySide6.QtCore import QCoreApplication

        from desktop.errors import DetailsDialog, describe
        from desktop.views.login import LoginView
        from sync.errors import ErrorCode, WorkspaceError
        from sync.values import ReplyKind

        shots: list[Path] = []
        login = LoginView(self.settings())
        login.set_demo_credentials(self.demo.users)
        login.resize(560, 520)
        login.show()
        shots.append(self.save(login, "01-login", language))
        login.close()

        window = self.window(self.officer)
        inbox = window.show_page("inbox")
        _wait(lambda: not inbox.counts.busy)
        confidential = next(
            (s for s in self.ws.complaints() if s.confidential), self.ws.complaints()[0]
        )
        inbox.open_complaint(confidential.id)
        shots.append(self.save(window, "02-inbox", language))
        remembered = self.remembered()
        inbox.open_complaint(remembered)
        _wait(lambda: inbox.similar.shown_for == remembered
              and inbox.similar.incidents.shown_for == remembered)
        inbox.detail.scroll_area.ensureWidgetVisible(inbox.similar, 0, 0)  # its section
        shots.append(self.save(window, "10-similar", language))
        inbox.open_complaint(self.returned.id)
        window.session.edit_reply.emit(self.returned.id, self.returned_reply, ReplyKind.RESPOND)
        _wait(lambda: inbox.similar_beside.shown_for == self.returned.id
              and not inbox.editor.loading)
        shots.append(self.save(window, "03-reply-editor", language))
        shots.append(self.save_letter(inbox.editor, "09-letter", language))
        inbox.editor.flush()
        outbox = window.show_page("outbox")
        _wait(lambda: not outbox.read.busy)
        shots.append(self.save(window, "04-outbox", language))
        performance = window.show_page("performance")
        _wait(lambda: performance.data is not None)
        shots.append(self.save(window, "05-performance", language))
        window.show_page("settings")
        shots.append(self.save(window, "06-settings", language))
        refusal = WorkspaceError(ErrorCode.INVALID_CREDENTIALS, "401 from /auth/token")
        message, details = describe(refusal)
        title = QCoreApplication.translate("errors", "Perhatian")
        dialog = DetailsDialog(title, message, details, window)
        dialog.show()
        shots.append(self.save(dialog, "08-error", language))
        dialog.close()
        window.close()

        boss = self.window(self.supervisor)
        approvals = boss.show_page("approvals")
        approvals.table.selectRow(0)
        shots.append(self.save(boss, "07-approvals", language))
        boss.close()
        return shots

    def close(self) -> None:
        self.runner.wait_for_done(30_000)
        self.ws.close()
        self.demo.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", choices=("id", "en"), action="append")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from desktop.collector import GuiThreadCollector
    from desktop.i18n import install_translators, remove_translators

    app = QApplication.instance() or QApplication(sys.argv)
    args.out.mkdir(parents=True, exist_ok=True)
    collector = GuiThreadCollector()
    studio = Studio(args.out)
    try:
        for language in args.lang or ["id", "en"]:
            translators = install_translators(app, language)
            for path in studio.render(language):
                print(path)
            remove_translators(app, translators)
    finally:
        studio.close()
        collector.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
