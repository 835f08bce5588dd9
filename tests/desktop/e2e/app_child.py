"""The app as a person starts it, run in a child process on a real X server (see conftest).

The demo (the reference server on loopback, seeded), the login window, a
login typed into it, the first sync; then the page asked for is shown and
what is on screen is measured and printed as one JSON line. The child keeps
its event loop running (the window stays painted for a screenshot) until a
line arrives on stdin, then closes the window as a person would (the layout
is saved) and exits.

    python -m tests.desktop.e2e.app_child --profile DIR --user petugas1 --page inbox
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# PySide6 6.12 on Python 3.11 drops a reference to None on many void calls; a
# long enough run aborts the interpreter (bench/gui_inbox.py says more).
_NONE_BALLAST = [None] * 1_000_000 if sys.version_info < (3, 12) else []


def wait_until(ready: Callable[[], bool], timeout_s: float = 60.0) -> None:
    """Run the event loop until ``ready()``; a 20 ms tick lets the loop see the clock."""
    from PySide6.QtCore import QEventLoop, QTimer

    ticker = QTimer()
    ticker.setInterval(20)
    ticker.start()
    loop = QEventLoop()
    flags = QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the app never got there")
        loop.processEvents(flags)
    ticker.stop()


def completed_then_synced(demo: Any, window: Any, complaint_id: str) -> None:
    """The national admin completes a complaint on the server; the office syncs it in."""
    from tests.integration.peers import admin_completes

    admin_completes(demo.server, complaint_id)
    model = window.pages["inbox"].model
    reloads: list[int] = []
    model.loaded.connect(lambda: reloads.append(1))
    window.sync_controller.sync_now()
    wait_until(lambda: not window.sync_controller.running and bool(reloads)
               and not model.loading)


def _centre(table: Any, index: Any) -> list[int]:
    point = table.viewport().mapToGlobal(table.visualRect(index).center())
    return [point.x(), point.y()]


def settle(seconds: float) -> None:
    """Let the event loop run a while (layouts, late rows, paints)."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() > end)


def shows_search(model: Any, typed: str) -> Callable[[], bool]:
    """True once the list shows the rows of that search (typed, debounced, answered)."""
    return lambda: (model.filter.search == typed and model.query.filter.search == typed
                    and not model.loading)


def rect(widget: Any) -> list[int]:
    """A widget's rectangle on the screen: x, y, width, height."""
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def shown_whole(widget: Any) -> bool:
    """Visible, and not a pixel of it clipped by its parents or a scroll area."""
    return bool(widget.isVisible()) and widget.visibleRegion().boundingRect() == widget.rect()


def _read_commands(commands: queue.Queue[str]) -> None:
    for line in sys.stdin:
        commands.put(line.strip())
    commands.put("quit")


def _scroll_area_of(widget: Any) -> Any:
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def measure(window: Any, page: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication, QTableView

    screen = window.screen()
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    bar = window.statusBar()
    report: dict[str, Any] = {
        "screen": [available.x(), available.y(), available.width(), available.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "window": rect(window),
        "status_bar": rect(bar),
        "sync_button": rect(bar.sync_button),
        "sync_button_whole": shown_whole(bar.sync_button),
        "maximized": bool(window.isMaximized()),
    }
    widget = window.pages[page]
    if page == "inbox":
        from desktop.views.inbox import column_of

        table = widget.table
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        title_width = header.sectionSize(column_of("title"))
        titles = [widget.model.summary(row).title for row in range(min(
            widget.model.rowCount(), 200)) if widget.model.summary(row) is not None]
        report["inbox"] = {
            "list_width": table.viewport().width(),
            "title_width": title_width,
            "columns": {key: header.sectionSize(column) for column, key in enumerate(
                ["id", "title", "deadline", "flags", "reply_state", "status", "category",
                 "type"]) if not header.isSectionHidden(column)},
            "scrolls_sideways": table.horizontalScrollBar().maximum() > 0,
            "titles": len(titles),
            "titles_in_full": sum(1 for t in titles
                                  if metrics.horizontalAdvance(t) + 12 <= title_width),
            "search": widget.search.text(),
            "search_box": rect(widget.search),
            "first_rows": [widget.model.summary(row).id for row in range(
                min(5, widget.model.rowCount())) if widget.model.summary(row) is not None],
            "count": widget.count_label.text(),
            "open": widget.detail.complaint_id,
            "selected_rows": [index.row() for index in table.selectionModel().selectedRows()],
            # Where a person clicks to open row n: the middle of its title.
            "row_points": [_centre(table, widget.model.index(row, column_of("title")))
                           for row in range(min(8, widget.model.rowCount()))],
        }
    tables = []
    for table in widget.findChildren(QTableView):
        if not table.isVisibleTo(widget):
            continue
        area = _scroll_area_of(table)
        if area is not None:  # as a person scrolls down to it
            area.ensureWidgetVisible(table, 0, 0)
            QApplication.processEvents()
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        model = table.model()
        cut = [str(model.headerData(c, header.orientation())) for c in range(model.columnCount())
               if not header.isSectionHidden(c) and metrics.horizontalAdvance(
                   str(model.headerData(c, header.orientation()))) + 8 > header.sectionSize(c)]
        tables.append({"name": table.objectName(), "rect": rect(table),
                       "shown_whole": shown_whole(table), "headers_cut": cut,
                       "scrolls_sideways": table.horizontalScrollBar().maximum() > 0})
    report["tables"] = tables
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", type=Path, required=True)
    parser.add_argument("--user", default="petugas1")
    parser.add_argument("--page", default="inbox")
    parser.add_argument("--lang", default="id")
    parser.add_argument("--resize", default="", help="WxH: the person resizes the window")
    args = parser.parse_args(argv)

    from desktop.controller import AppController, create_application
    from desktop.demo import start_demo
    from desktop.errors import CrashReporter
    from desktop.i18n import install_translators
    from desktop.settings import Settings
    from desktop.workers import TaskRunner
    from server.seed import demo_password

    app = create_application()
    translators = install_translators(app, args.lang)
    demo = start_demo(args.profile, complaints=60, simulate=False)
    settings = Settings(args.profile / "settings.ini")
    settings.server_url = demo.url
    runner = TaskRunner(CrashReporter())
    controller = AppController(settings, args.profile, runner, demo=demo)
    controller.main_window_shown.connect(demo.on_main_window_shown)
    controller.start()
    login = controller.login_view
    assert login is not None
    wait_until(lambda: login.isVisible())
    login.username.setText(args.user)
    login.password.setText(demo_password(args.user))
    login.login_button.click()
    wait_until(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window
    assert window is not None
    wait_until(lambda: not window.sync_controller.running)
    inbox = window.pages["inbox"]
    wait_until(lambda: not inbox.model.loading and inbox.model.rowCount() > 0)
    if args.resize:
        width, height = (int(n) for n in args.resize.split("x"))
        window.showNormal()
        window.resize(width, height)
        wait_until(lambda: (window.width(), window.height()) == (width, height))
    widget = window.show_page(args.page)
    wait_until(lambda: widget.isVisible())
    settle(0.5)  # layouts and late rows
    window.repaint()
    print(json.dumps(measure(window, args.page)), flush=True)

    # Then commands, one a line, each answered with a measurement: "searched
    # TEXT" (once the list shows that search, typed by the parent through the
    # X server), "measure", "completed ID" (the national admin completes it,
    # then the office syncs); anything else closes the app.
    commands: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_commands, args=(commands,), daemon=True).start()
    while True:
        wait_until(lambda: not commands.empty(), timeout_s=300)
        verb, _, argument = commands.get().partition(" ")
        if verb == "searched":
            wait_until(shows_search(inbox.model, argument))
        elif verb == "completed":
            completed_then_synced(demo, window, argument)
        elif verb != "measure":
            break
        settle(0.3)
        window.repaint()
        print(json.dumps(measure(window, args.page)), flush=True)
    window.close()  # saves the layout, as closing it by hand does
    runner.wait_for_done(10_000)
    controller.shutdown()
    demo.stop()
    del translators
    sys.stdout.flush()
    os._exit(0)  # no finalisation: the ballast's None count (see above)


if __name__ == "__main__":
    raise SystemExit(main())
