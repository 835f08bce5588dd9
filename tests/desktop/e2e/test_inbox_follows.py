"""The complaint beside the list is the one a person clicked, on a real X server (item 3)."""

from __future__ import annotations

from pathlib import Path

from tests.desktop.e2e.conftest import StartApp


def test_after_a_sync_moves_the_rows_a_click_opens_the_row_under_the_pointer(
    start_app: StartApp, tmp_path: Path
) -> None:
    app = start_app(tmp_path / "profile", page="inbox")
    try:
        before = app.report["inbox"]
        rows = before["first_rows"]
        assert len(rows) == 5
        opened = app.click(before["row_points"][3])["inbox"]
        assert opened["open"] == rows[3] and opened["selected_rows"] == [3]
        # The national side completes the most urgent one: it goes to the end,
        # and every row below it moves up one.
        moved = app.measure(f"completed {rows[0]}")["inbox"]
        assert moved["first_rows"][:4] == rows[1:]
        assert moved["open"] == rows[3] and moved["selected_rows"] == [2]
        clicked = app.click(moved["row_points"][3])["inbox"]
        assert clicked["open"] == moved["first_rows"][3] == rows[4]
        assert clicked["selected_rows"] == [3]
        app.screenshot("after-sync-click")
    finally:
        app.close()
