"""The officer's first hour at 1366x768 (issue 13, items 4 and 16), on a real X server.

A taskbar takes the bottom of the screen (conftest). Without a window
manager there is no title bar, so what must fit is the window itself plus
the allowance the app keeps for one (``desktop.mainwindow.FRAME_ALLOWANCE``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.mainwindow import FRAME_ALLOWANCE
from tests.desktop.e2e.conftest import RunApp, StartApp


def inside(box: list[int], screen: list[int]) -> bool:
    x, y, width, height = box
    left, top, screen_width, screen_height = screen
    return (left <= x and top <= y and x + width <= left + screen_width
            and y + height <= top + screen_height)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_first_run_fits_the_screen_and_the_list_is_readable(
    run_app: RunApp, tmp_path: Path, lang: str
) -> None:
    report = run_app(tmp_path / "profile", page="inbox", lang=lang,
                     shot=f"first-run-inbox-{lang}").report
    screen = report["screen"]
    assert screen[3] < 768  # the taskbar's part is not available
    x, y, width, height = report["frame"]
    # Room left for the title bar a window manager adds above it.
    assert inside([x, y, width + FRAME_ALLOWANCE.width(), height + FRAME_ALLOWANCE.height()],
                  screen), report
    assert report["maximized"]  # and with a window manager, the whole screen
    assert inside(report["status_bar"], screen)
    assert inside(report["sync_button"], screen) and report["sync_button_whole"]
    inbox = report["inbox"]
    # The title gets the room: most titles read in full, nothing hides sideways.
    assert inbox["title_width"] >= 240 and inbox["title_width"] >= 0.33 * inbox["list_width"]
    assert inbox["titles_in_full"] >= 0.8 * inbox["titles"]
    assert not inbox["scrolls_sideways"]


def test_the_layout_a_person_chose_is_there_next_time(run_app: RunApp, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    run_app(profile, page="inbox", resize="1100x620")
    again = run_app(profile, page="inbox").report
    assert again["window"][2:] == [1100, 620] and not again["maximized"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_kinerja_tables_are_whole_at_1366x768(run_app: RunApp, tmp_path: Path, lang: str) -> None:
    report = run_app(tmp_path / "profile", page="performance", lang=lang,
                     shot=f"first-run-kinerja-{lang}").report
    tables = {table["name"]: table for table in report["tables"]}
    assert set(tables) == {"kpi_by_category", "kpi_by_officer"}
    for name, table in tables.items():
        assert table["shown_whole"], name  # scrolled to, it is on screen whole
        assert table["headers_cut"] == [], name
        assert not table["scrolls_sideways"], name


def test_a_number_typed_on_the_keyboard_finds_its_complaint_first(
    start_app: StartApp, tmp_path: Path
) -> None:
    """A click into the search box, then the number's tail, typed on the X server (item 1)."""
    app = start_app(tmp_path / "profile", page="inbox")
    try:
        wanted = app.report["inbox"]["first_rows"][-1]  # fifth in the deadline order
        tail = wanted.rsplit("-", 1)[1].lstrip("0")  # "LAP-2026-0000031": "31"
        x, y, width, height = app.report["inbox"]["search_box"]
        app.xdotool("mousemove", str(x + width // 2), str(y + height // 2), "click", "1")
        app.xdotool("type", "--delay", "60", tail)
        found = app.after_search(tail)["inbox"]
        assert found["search"] == tail
        assert found["first_rows"][0] == wanted
        app.screenshot("search-by-number")
    finally:
        app.close()
