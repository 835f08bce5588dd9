"""``lapor-desk --self-test``: does this installation work, frozen or not?

A frozen app fails where the source tree does not: a data file left out, a
module imported only by name, a Qt plugin missing. Each check here walks one
such path for real, in a throwaway profile under a temp dir, and the report
says OK, WARN or FAIL per line. Only a FAIL makes the exit code 1; a WARN is
something the app copes with (no OS keyring: secrets stay in memory and the
replica opens with a user's password, since the secret store fails closed).

The checks run in order and share what they built: "sqlcipher" looks at the
workspace "profile" migrated, and "main window" draws the office "demo sync"
brought from the embedded demo server (or the empty profile, if that failed).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import secrets
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from sync.workspace import Workspace

OK, WARN, FAIL = "OK", "WARN", "FAIL"
DISTRIBUTION = "lapor-desk"
# Not a secret: the password of a user who exists only in the throwaway profile.
_PROBE_PASSWORD = "uji-mandiri-" + secrets.token_hex(8)
_PROBE_USER = "uji"
_DEMO_COMPLAINTS = 6  # enough for every screen to show rows, few enough to seed fast


class Caveat(Exception):
    """A check passed with a reservation the person should know about: a WARN line."""


class Failed(Exception):
    """A check found what it looks for broken; the message says what."""


class Skipped(Exception):
    """A check could not run because an earlier one failed."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # OK, WARN or FAIL
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


def version() -> str:
    """The installed package's version; the frozen app carries its metadata."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def use_offscreen_without_display(environ: dict[str, str] | None = None) -> bool:
    """Choose Qt's offscreen platform where no display exists; True if chosen.

    Must run before the QApplication exists. Where a display exists the real
    platform plugin is used, so a frozen app missing it fails here too.
    """
    env = os.environ if environ is None else environ
    if env.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return False
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return False
    env["QT_QPA_PLATFORM"] = "offscreen"
    return True


class _ThrowawayKeyring:
    """Holds the throwaway profile's key, so the self-test leaves the OS keyring alone.

    Not a ``KeyringBackend`` subclass: keyring registers every subclass and could
    pick this one as the process's keyring.
    """

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._values.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def _recording_crash_reporter(errors: list[str]) -> Any:
    """A crash reporter that records instead of opening a dialog."""
    from desktop.errors import CrashReporter

    class Recorder(CrashReporter):
        def report(
            self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
        ) -> None:
            errors.append("".join(traceback.format_exception_only(exc_type, exc)).strip())

    return Recorder()


@dataclass
class SelfTest:
    """The checks over one work folder; ``run()`` returns one result per check."""

    work_dir: Path
    secret_backend: KeyringBackend | None = None  # None: the OS keyring (keyring's choice)
    kdf_n: int | None = None  # None: the shipped scrypt cost
    workspace: Workspace | None = field(default=None, init=False)
    # The demo office, synced from the embedded server: what the window draws if there.
    demo_workspace: Workspace | None = field(default=None, init=False)
    demo: Any = field(default=None, init=False)  # desktop.demo.Demo
    app: QApplication | None = field(default=None, init=False)

    def checks(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("package", self.check_package),
            ("bundle", self.check_bundle),
            ("deadline rules", self.check_rules),
            ("holidays", self.check_holidays),
            ("profile", self.check_profile),
            ("sqlcipher", self.check_sqlcipher),
            ("secret store", self.check_secret_store),
            ("certificates", self.check_certificates),
            ("qt", self.check_qt),
            ("translations", self.check_translations),
            ("pdf", self.check_pdf),
            ("demo sync", self.check_demo_sync),
            ("main window", self.check_main_window),
        ]

    def run(self, only: Sequence[str] | None = None) -> list[CheckResult]:
        """Every check in order, or those named in ``only`` (and nothing they need)."""
        results = []
        try:
            for name, check in self.checks():
                if only is None or name in only:
                    results.append(_run_one(name, check))
        finally:
            for workspace in (self.workspace, self.demo_workspace):
                if workspace is not None:
                    workspace.close()
            if self.demo is not None:
                self.demo.stop()
            self.workspace = self.demo_workspace = self.demo = None
        return results

    # --- the checks; each returns its detail or raises --------------------

    def check_package(self) -> str:
        found = version()
        if found == "unknown":
            raise Failed(f"no metadata for {DISTRIBUTION}: the build left it out")
        # Workspace fingerprints the rules with the holidays version: it needs that metadata too.
        holidays_version = metadata.version("holidays")
        kind = "frozen" if frozen() else "from source"
        return (
            f"{DISTRIBUTION} {found} ({kind}), Python {platform.python_version()}, "
            f"holidays {holidays_version}, {platform.system()} {platform.machine()}"
        )

    def check_bundle(self) -> str:
        root = getattr(sys, "_MEIPASS", None)
        if root is None:
            return "not frozen: the source tree is used as it is"
        # A library left out while its link beside the executable stayed.
        broken = sorted(p.name for p in Path(root).rglob("*") if p.is_symlink() and not p.exists())
        if broken:
            raise Failed(f"links that lead nowhere ({len(broken)}): {', '.join(broken[:3])}")
        return f"every link in {root} leads to a file"

    def check_rules(self) -> str:
        from zoneinfo import ZoneInfo

        from sync.deadlines import Rules, default_rules_file

        rules = Rules.load()
        # The three Indonesian zones: tzdata must be there where the OS has none (Windows).
        for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
            ZoneInfo(zone)
        days = rules.completion_days("pengaduan")
        return (
            f"{default_rules_file().name}: zona {rules.timezone}, "
            f"tindak lanjut {rules.first_followup_working_days} hari kerja, "
            f"pengaduan {days} hari kerja"
        )

    def check_holidays(self) -> str:
        from sync.calendar import cuti_bersama_known, national_days_off

        year = date.today().year
        days = national_days_off(year)
        independence = date(year, 8, 17)
        if independence not in days:
            raise Failed(f"17 Agustus {year} is not a holiday: the holidays data is missing")
        detail = f"{len(days)} hari libur nasional dan cuti bersama in {year}"
        if not cuti_bersama_known(year):
            raise Caveat(
                f"{detail}; the installed holidays package does not know the cuti bersama of "
                f"{year}: declare them as office days off in Pengaturan, or update"
            )
        return detail

    def check_profile(self) -> str:
        from sync import protocol
        from sync.store.migrate import current_revision, head_revision

        workspace = self._open_workspace("profile", "")
        self.workspace = workspace
        current, head = current_revision(workspace.database), head_revision()
        if head is None or current != head:
            raise Failed(f"migrations ended at {current}, the newest is {head}")
        # A supervisor sees every screen; remembering them wraps keys (scrypt, AES-GCM).
        user = protocol.User(
            id="uji-mandiri",
            username=_PROBE_USER,
            full_name="Uji Mandiri",
            role="supervisor",
            office_id="kantor-uji",
            active=True,
        )
        workspace.remember_user(user, _PROBE_PASSWORD)
        workspace.logout()
        workspace.login_offline(_PROBE_USER, _PROBE_PASSWORD)
        return f"throwaway profile migrated to {current}; offline login works"

    def check_sqlcipher(self) -> str:
        import sqlcipher3

        from sync.errors import ErrorCode, WorkspaceError
        from sync.store.database import KEY_BYTES, open_engine

        workspace = self._workspace()
        path = workspace.profile.database_path
        with workspace.database.connect() as connection:
            cipher = connection.exec_driver_sql("PRAGMA cipher_version").scalar()
        if not cipher:
            raise Failed("the SQLite library is not SQLCipher: the replica is not encrypted")
        if path.read_bytes()[:16] == b"SQLite format 3\x00":
            raise Failed(f"{path.name} is plain SQLite: it is not encrypted")
        try:
            open_engine(path, os.urandom(KEY_BYTES)).dispose()
        except WorkspaceError as exc:
            if exc.code != ErrorCode.WRONG_KEY:
                raise
        else:
            raise Failed("a wrong key opened the replica")
        return f"SQLCipher {cipher} (SQLite {sqlcipher3.sqlite_version}); a wrong key is refused"

    def check_secret_store(self) -> str:
        from sync.credentials import SecretStore

        store = SecretStore(self.secret_backend)
        backend = self.secret_backend or _default_keyring()
        name = f"self-test-{secrets.token_hex(4)}"
        value = secrets.token_hex(16)
        store.set(name, value)
        try:
            read_back = store.get(name)
        finally:
            store.delete(name)
        backend_name = f"{type(backend).__module__}.{type(backend).__name__}"
        if not store.available:
            raise Caveat(
                f"no usable OS keyring ({backend_name}): secrets stay in memory only, the data "
                "opens with a user's password at login, nothing is written in plaintext"
            )
        if read_back != value:
            raise Failed(f"the OS keyring ({backend_name}) did not give back what it kept")
        return f"OS keyring {backend_name} keeps and returns a secret"

    def check_certificates(self) -> str:
        import ssl

        from requests.utils import DEFAULT_CA_BUNDLE_PATH

        # The national server is reached over verified TLS; the CA bundle is package data
        # (requests' default: certifi's file).
        bundle = Path(DEFAULT_CA_BUNDLE_PATH)
        if not bundle.is_file():
            raise Failed(f"no CA bundle at {bundle}: HTTPS to the server would fail")
        context = ssl.create_default_context(cafile=str(bundle))
        count = len(context.get_ca_certs())
        if count == 0:
            raise Failed(f"{bundle.name} holds no certificates")
        return f"{count} trusted CA certificates in {bundle.name}"

    def check_qt(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QImage

        from sync.resources import resources_dir

        app = self._app()
        # The SVG icon needs Qt's svg image plugin: a missing plugin shows here.
        for icon in ("app.png", "app.svg"):
            path = resources_dir() / "icons" / icon
            if QImage(str(path)).isNull():
                raise Failed(f"the app icon {path} does not load")
        return (
            f"PySide6 {pyside_version}, Qt {qVersion()}, platform {app.platformName()}, icons load"
        )

    def check_translations(self) -> str:
        from PySide6.QtCore import QLibraryInfo, QTranslator

        from desktop.i18n import install_translators, remove_translators, translations_dir

        app = self._app()
        folder = translations_dir()
        built = sorted(folder.glob("lapor_*.qm"))
        unbuilt = [
            ts.name
            for ts in sorted(folder.glob("lapor_*.ts"))
            if not ts.with_suffix(".qm").exists()
        ]
        if unbuilt:
            raise Failed(f"{', '.join(unbuilt)} not built into .qm (run lrelease)")
        loaded = []
        for qm in built:
            translator = QTranslator()
            if not translator.load(str(qm)) or translator.isEmpty():
                raise Failed(f"{qm.name} does not load")
            language = qm.stem.removeprefix("lapor_")
            installed = install_translators(app, language)
            try:
                if not installed:
                    raise Failed(f"the app does not find {qm.name} in {folder}")
            finally:
                remove_translators(app, installed)
            loaded.append(qm.name)
        qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        qtbase_id = [f for f in (folder, qt_folder) if (f / "qtbase_id.qm").exists()]
        if not loaded:
            raise Caveat(f"no lapor_*.qm in {folder}: only the Indonesian source text")
        detail = f"{', '.join(loaded)} load"
        # Qt ships no Indonesian for its own dialogs; one may be put beside ours.
        if not qtbase_id:
            return f"{detail}; no qtbase_id.qm, so Qt's own dialogs speak English"
        return f"{detail}; qtbase_id.qm in {qtbase_id[0]}"

    def check_main_window(self) -> str:
        from PySide6.QtCore import QCoreApplication, qInstallMessageHandler

        from desktop.mainwindow import MainWindow
        from desktop.session import Session
        from desktop.settings import Settings
        from desktop.syncing import SyncController
        from desktop.views.login import LoginView
        from desktop.workers import TaskRunner

        app = self._app()
        workspace = self.demo_workspace or self._workspace()
        user = workspace.current_user
        if user is None:
            raise Skipped("nobody logged in to the throwaway profile")
        errors: list[str] = []
        qt_warnings: list[str] = []
        reporter = _recording_crash_reporter(errors)
        runner = TaskRunner(reporter)
        settings = Settings(self.work_dir / "settings.ini")
        window: MainWindow | None = None
        reporter.install()  # a slot that raises is a failure of this check
        previous_handler = qInstallMessageHandler(_collector(qt_warnings))
        try:
            _draw(LoginView(settings), "the login screen").close()
            session = Session(workspace, user, settings, runner)
            window = MainWindow(session, SyncController(session))
            _draw(window, "the main window")
            drawn = []
            for key in _nav_keys(window):  # screens may be built only when first shown
                page = window.show_page(key)
                runner.wait_for_done(30_000)  # screens load their rows on the runner
                QCoreApplication.processEvents()
                _draw(page, f"the {key} screen")
                drawn.append(key)
            opened = self._open_a_complaint(window, session)
            titles = _nav_titles(window)
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
            runner.wait_for_done(30_000)
            QCoreApplication.processEvents()
            qInstallMessageHandler(previous_handler)
            reporter.uninstall()
        if errors:
            raise Failed(f"a screen failed: {errors[0]}")
        screens = f"{len(drawn)} screens ({', '.join(titles)})"
        detail = f"login screen and {screens} drawn{opened} on {app.platformName()}"
        if qt_warnings:
            # A frozen app missing a plugin or fonts often only warns; say so.
            raise Caveat(f"{detail}; Qt warned {len(qt_warnings)}x, first: {qt_warnings[0]}")
        return detail

    def check_pdf(self) -> str:
        from PySide6.QtGui import QPdfWriter, QTextDocument

        self._app()
        # Replies print as letters and Kinerja exports as PDF: Qt's writer and a font.
        path = self.work_dir / "uji.pdf"
        writer = QPdfWriter(str(path))
        document = QTextDocument()
        document.setHtml("<h2>Tindak Lanjut</h2><p>Laporan LAP-2026-0000001 · Tenggat</p>")
        document.print_(writer)
        del writer  # the file is complete once the writer is gone
        data = path.read_bytes()
        if not data.startswith(b"%PDF"):
            raise Failed(f"{path.name} is not a PDF")
        if b"/FontFile" not in data:
            raise Caveat("a PDF was written without a font: letters and exports may show no text")
        return f"a letter prints to PDF ({len(data) // 1024} KiB, font embedded)"

    def check_demo_sync(self) -> str:
        from desktop.demo import start_demo

        # The `--demo` path: the embedded reference server (uvicorn loads its parts
        # by name) behind the relay; logging in online and syncing walks the
        # transport and the sync cycle.
        demo = start_demo(self.work_dir / "demo", complaints=_DEMO_COMPLAINTS, simulate=False)
        self.demo = demo
        username, password = next((u, p) for u, p, role in demo.users if role == "supervisor")
        workspace = self._open_workspace("demo-client", demo.url)
        self.demo_workspace = workspace
        workspace.login(username, password)
        report = workspace.sync()
        if not report.online or report.error_code:
            raise Failed(f"the sync with the demo server failed: {report.error_message}")
        if not report.digest_ok:
            raise Failed("after the sync the replica does not match the demo server")
        count = len(workspace.complaints())
        if count == 0:
            raise Failed("the sync with the demo server brought no complaints")
        return f"logged in online as {username}, synced {count} complaints"

    # --- shared state ------------------------------------------------------

    @staticmethod
    def _open_a_complaint(window: Any, session: Any) -> str:
        """Open the first complaint and a reply to it, as an officer would; says what it drew."""
        from PySide6.QtCore import QCoreApplication

        complaints = session.workspace.complaints()
        if not complaints:
            return ""
        complaint_id = complaints[0].id
        session.open_complaint.emit(complaint_id)  # what a double click in a list asks for
        QCoreApplication.processEvents()
        session.edit_reply.emit(complaint_id, "", "respond")
        QCoreApplication.processEvents()
        _draw(window.show_page("inbox"), f"complaint {complaint_id} with its reply editor")
        return f", complaint {complaint_id} with its reply editor"

    def _open_workspace(self, folder: str, server_url: str) -> Workspace:
        """A profile under the work folder whose keys never reach the OS keyring."""
        from sync.credentials import SecretStore
        from sync.workspace import Workspace

        options: dict[str, Any] = {"kdf_n": self.kdf_n} if self.kdf_n else {}
        throwaway = SecretStore(cast(KeyringBackend, _ThrowawayKeyring()))
        return Workspace.open(self.work_dir / folder, server_url, secrets=throwaway, **options)

    def _workspace(self) -> Workspace:
        if self.workspace is None:
            raise Skipped("the profile did not open")
        return self.workspace

    def _app(self) -> QApplication:
        if self.app is None:
            from desktop.controller import create_application

            use_offscreen_without_display()
            self.app = create_application()
        return self.app


# Qt says this on every window shown offscreen; it means nothing.
_HARMLESS_QT_MESSAGES = ("propagateSizeHints",)


def _collector(collected: list[str]) -> Callable[[Any, Any, str], None]:
    """A Qt message handler that keeps warnings and worse, and drops the rest."""
    from PySide6.QtCore import QtMsgType

    def handle(kind: Any, _context: Any, message: str) -> None:
        quiet = kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg)
        if not quiet and not any(harmless in message for harmless in _HARMLESS_QT_MESSAGES):
            collected.append(message)

    return handle


def _draw(widget: Any, what: str) -> Any:
    """Show ``widget`` without putting it on screen and draw it; returns it."""
    from PySide6.QtCore import QCoreApplication, Qt

    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.show()
    QCoreApplication.processEvents()
    if widget.grab().isNull():
        raise Failed(f"{what} draws nothing")
    return widget


def _nav_keys(window: Any) -> list[str]:
    from PySide6.QtCore import Qt

    role = Qt.ItemDataRole.UserRole
    return [str(window.nav.item(row).data(role)) for row in range(window.nav.count())]


def _nav_titles(window: Any) -> list[str]:
    return [window.nav.item(row).text() for row in range(window.nav.count())]


def _default_keyring() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


def _run_one(name: str, check: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, OK, check())
    except Caveat as warning:
        return CheckResult(name, WARN, str(warning))
    except Failed as failed:
        return CheckResult(name, FAIL, str(failed))
    except Skipped as skipped:
        return CheckResult(name, FAIL, f"not run: {skipped}")
    except Exception as exc:
        return CheckResult(name, FAIL, f"{type(exc).__name__}: {exc}")


def format_report(results: Sequence[CheckResult]) -> str:
    failed = sum(r.status == FAIL for r in results)
    warned = sum(r.status == WARN for r in results)
    verdict = "FAILED" if failed else "passed"
    lines = [f"LAPOR Desk {version()} self-test"]
    lines += [r.line() for r in results]
    lines.append(f"self-test {verdict}: {len(results)} checks, {failed} failed, {warned} warnings")
    return "\n".join(lines)


def exit_code(results: Sequence[CheckResult]) -> int:
    return 1 if any(r.status == FAIL for r in results) else 0


def run_self_test(args: argparse.Namespace | None = None) -> int:
    """The ``--self-test`` flag: print the report, exit 0 when nothing failed."""
    # The core logs what it copes with (no keyring...); the report already says it.
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="lapor-self-test-") as work:
        results = SelfTest(Path(work)).run()
    deliver(format_report(results))
    return exit_code(results)


REPORT_FILE = "lapor-desk-self-test.txt"


def deliver(report: str) -> Path | None:
    """Print the report; where there is no console, write it to a file. Returns that file.

    A windowed program on Windows (``lapor-desk.exe``) has no stdout at all, so
    the report goes to the temp folder, e.g. ``%TEMP%\\lapor-desk-self-test.txt``.
    """
    if sys.stdout is not None:
        print(report, flush=True)
        return None
    path = Path(tempfile.gettempdir()) / REPORT_FILE
    path.write_text(report + "\n", encoding="utf-8")
    return path
