"""Rich text on paper: a letter or a report laid out on A4 at its real size.

Why not ``QTextDocument.setPageSize(device.width(), ...)`` and ``print_``: the
document then lays its text out at screen resolution on a page measured in
the printer's dots (1200 dpi for a PDF), so 11 pt text came out about 1 pt
tall in the top-left corner. Here the document is laid out on the device
itself (its fonts and fixed lengths in the device's dots), page by page.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
)

LETTER_POINTS = 11.0  # what an office letter is typed in
REPORT_POINTS = 9.5  # a landscape table of figures


class Paper(Enum):
    """The page shapes the app prints on (margins in millimetres)."""

    LETTER = (QPageLayout.Orientation.Portrait, 25.0, LETTER_POINTS)
    REPORT = (QPageLayout.Orientation.Landscape, 15.0, REPORT_POINTS)

    @property
    def orientation(self) -> QPageLayout.Orientation:
        return self.value[0]

    @property
    def margin_mm(self) -> float:
        return self.value[1]

    @property
    def points(self) -> float:
        return self.value[2]


def page_document(device: QPagedPaintDevice, paper: Paper) -> QTextDocument:
    """An empty document that lays out on ``device`` as A4 ``paper``: fill it with setHtml."""
    margin = paper.margin_mm
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            paper.orientation,
            QMarginsF(margin, margin, margin, margin),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    # Before any text: the layout measures fonts on the device from the start.
    document.documentLayout().setPaintDevice(device)
    font = QFont(document.defaultFont())
    font.setPointSizeF(paper.points)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)  # the page layout holds the margins
    return document


def print_document(document: QTextDocument, device: QPagedPaintDevice) -> None:
    """Paint ``document`` (from ``page_document``) on ``device``, one page after another."""
    page = QSizeF(device.width(), device.height())  # the printable rect, in device dots
    document.setPageSize(page)
    painter = QPainter(device)
    try:
        for number in range(document.pageCount()):
            if number:
                device.newPage()
            painter.save()
            top = number * page.height()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()
