"""End-to-end GUI tests on a real X server: Xvfb at 1366x768, the app in a child process.

The test process itself draws offscreen (tests/conftest.py); a window's real
size, its frame and the screen it must fit exist only on a real display.
So each test starts the app as a child on the session's Xvfb
(``tests/desktop/e2e/app_child.py``), reads what it measured, and may grab the
screen with ImageMagick's ``import``. Without Xvfb (Debian ``xvfb``) the
tests skip and say so; ``.ci/run`` installs it.

Add a test here by running ``run_app(...)`` with the page and user it needs;
extend ``app_child.measure`` with what it should read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SCREEN = (1366, 768)  # the screen: the most common office laptop
TASKBAR = 40  # a panel at the bottom, as Windows and most Linux desktops have one
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """The DISPLAY of an Xvfb started for this session (no window manager: no frames)."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is missing (Debian: apt-get install xvfb); .ci/run installs it")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    # Xvfb writes its display number once it accepts clients: no polling, no sleep.
    with os.fdopen(read) as ready:
        number = ready.readline().strip()
    if not number:
        server.kill()
        server.wait(10)
        pytest.skip("Xvfb did not start")
    try:
        display = f":{number}"
        _reserve_taskbar(display)
        missing = _qt_cannot_draw_on(display)
        if missing:
            pytest.skip(f"Qt cannot open the X display: {missing} (the README's Linux note "
                        "lists the system libraries; .ci/run installs them)")
        yield display
    finally:
        server.terminate()
        server.wait(10)


def _reserve_taskbar(display: str) -> None:
    """Say, as a desktop's panel does, that the bottom ``TASKBAR`` pixels are taken.

    Qt reads the work area (_NET_WORKAREA) as the screen's available geometry.
    """
    if shutil.which("xprop") is None:
        pytest.skip("xprop is missing (Debian: x11-utils): no taskbar to fit beside")
    area = f"0, 0, {SCREEN[0]}, {SCREEN[1] - TASKBAR}"
    subprocess.run(["xprop", "-display", display, "-root", "-format", "_NET_WORKAREA", "32c",
                    "-set", "_NET_WORKAREA", area], check=True, capture_output=True)


def _qt_cannot_draw_on(display: str) -> str:
    """Why Qt's xcb platform will not start here ("" when it does), e.g. a missing library."""
    probe = subprocess.run(
        [sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
        env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
        capture_output=True, text=True, timeout=60, check=False)
    if probe.returncode == 0:
        return ""
    lines = [line for line in probe.stderr.splitlines() if "needed" in line or "not" in line]
    return (lines or probe.stderr.splitlines() or [f"exit {probe.returncode}"])[0]


class App:
    """The app running in a child on the Xvfb: measure it, type into it, grab the screen.

    ``report`` is what it measured once on screen; ``xdotool(...)`` sends real
    X input (keys reach the focused widget as a person's would);
    ``after_search(typed)`` waits until the list shows that search and
    measures again; ``close()`` closes the window as a person would.
    """

    def __init__(self, child: subprocess.Popen[str], display: str, errors: Path,
                 shots: Path) -> None:
        self.child, self.display, self.errors, self.shots = child, display, errors, shots
        self.report = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.child.stdout is not None
        line = self.child.stdout.readline()
        if not line:
            self.child.wait(30)
            raise AssertionError(f"the app failed:\n{self.errors.read_text()[-4000:]}")
        report: dict[str, Any] = json.loads(line)
        return report

    def _send(self, line: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(line + "\n")
        self.child.stdin.flush()

    def xdotool(self, *arguments: str) -> None:
        if shutil.which("xdotool") is None:
            pytest.skip("xdotool is missing (Debian: xdotool); .ci/run installs it")
        subprocess.run(["xdotool", *arguments], env={**os.environ, "DISPLAY": self.display},
                       check=True, capture_output=True, timeout=60)

    def after_search(self, typed: str) -> dict[str, Any]:
        return self.measure(f"searched {typed}")

    def measure(self, command: str = "measure") -> dict[str, Any]:
        """Send a command of app_child's ("measure", "completed ID"), read its measurement."""
        self._send(command)
        self.report = self._read()
        return self.report

    def click(self, point: list[int]) -> dict[str, Any]:
        """A real left click at this point of the screen, then a measurement."""
        self.xdotool("mousemove", str(point[0]), str(point[1]), "click", "1")
        return self.measure()

    def screenshot(self, name: str) -> Path | None:
        if shutil.which("import") is None:
            return None
        path = _keep(self.shots / f"{name}.png")
        subprocess.run(["import", "-display", self.display, "-window", "root", str(path)],
                       check=True, capture_output=True, timeout=60)
        return path

    def close(self) -> None:
        self._send("quit")  # the app closes its window (saving the layout)
        self.child.wait(60)


@dataclass
class Run:
    """One run of the app: what it measured, and a screenshot if one was taken."""

    report: dict[str, Any]
    screenshot: Path | None


RunApp = Callable[..., Run]
StartApp = Callable[..., App]


@pytest.fixture
def start_app(xvfb: str, tmp_path: Path) -> Iterator[StartApp]:
    """``start_app(profile, page="inbox", user="petugas1", resize="", lang="id")``: an ``App``."""
    started: list[App] = []

    def start(profile: Path, page: str = "inbox", user: str = "petugas1", resize: str = "",
              lang: str = "id") -> App:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env = {
            **os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local"),
            "XDG_CACHE_HOME": str(home / ".cache"), "XDG_RUNTIME_DIR": str(tmp_path),
            # No OS keyring in a child: the profile's key is wrapped by the password.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "NO_PROXY": "127.0.0.1,localhost,::1", "PYTHONPATH": str(ROOT),
        }
        command = [sys.executable, "-m", "tests.desktop.e2e.app_child", "--profile",
                   str(profile), "--user", user, "--page", page, "--lang", lang]
        if resize:
            command += ["--resize", resize]
        errors = tmp_path / f"child-{len(started)}.log"
        with errors.open("w") as stderr:
            child = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr, text=True)
        app = App(child, xvfb, errors, tmp_path)
        started.append(app)
        return app

    yield start
    for app in started:
        if app.child.poll() is None:
            app.child.kill()
        app.child.wait(30)
        for stream in (app.child.stdin, app.child.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def run_app(start_app: StartApp) -> RunApp:
    """``run_app(profile, page=..., shot="name", ...)``: start, measure, screenshot, close."""
    def run(profile: Path, shot: str = "", **options: Any) -> Run:
        app = start_app(profile, **options)
        screenshot = app.screenshot(shot) if shot else None
        app.close()
        return Run(app.report, screenshot)

    return run


def _keep(path: Path) -> Path:
    """Screenshots go to LAPOR_E2E_SHOTS when set (to look at them), else the test's folder."""
    folder = os.environ.get("LAPOR_E2E_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder) / path.name
    return path
