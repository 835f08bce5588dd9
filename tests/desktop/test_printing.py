"""Paper that a person reads: the Kinerja export at a readable size on A4 (letters: test_letter)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.views.performance import PerformanceView
from sync.kpi import Period
from tests.helpers.pdfpage import need_pdftoppm, page_ink


def test_the_kinerja_pdf_is_readable_with_margins_across_a_landscape_a4(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    need_pdftoppm()
    view = PerformanceView(session)
    qtbot.addWidget(view)
    view.set_period(Period.month(2026, 11))
    qtbot.wait_until(lambda: view.cards["received"].text() == "3", timeout=10_000)
    view.export_pdf(tmp_path / "kinerja.pdf")
    ink = page_ink(tmp_path / "kinerja.pdf")
    assert (ink.width, ink.height) == (842, 595)  # A4 landscape, in points
    assert 6 <= ink.typical_line <= 16, ink.line_heights  # about 9.5 pt text, not 1 pt
    assert ink.left >= 40 and ink.top >= 40  # 15 mm margins
    assert ink.right - ink.left >= 0.5 * ink.width  # charts and tables across the page
