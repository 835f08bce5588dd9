"""Marking in a list's cells the words a search matched (the inbox's number and title)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

HIGHLIGHT = QColor("#ffe066")  # a marker pen's yellow; black text stays readable on it
HIGHLIGHT_TEXT = QColor("#000000")

# (index, the cell's text) -> the (start, end) spans to mark; [] paints as usual.
Spans = Callable[[QModelIndex | QPersistentModelIndex, str], list[tuple[int, int]]]


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell as usual, but the spans ``spans`` names on a marker's yellow.

    The text is elided as the view would; a span cut by the ellipsis is marked
    up to it. Only cells with spans are painted here, the rest by Qt.
    """

    def __init__(self, spans: Spans, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spans = spans

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        spans = self.spans(index, text) if text else []
        if not spans:
            super().paint(painter, option, index)
            return
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""  # the background, selection and focus as Qt draws them
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = opt.fontMetrics
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        visible = len(shown) if shown == text else max(0, len(shown) - 1)  # before the "…"
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pen = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                else QPalette.ColorRole.Text)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if isinstance(foreground, QBrush) and not selected:
            pen = foreground.color()
        top = rect.top() + (rect.height() - metrics.height()) // 2
        painter.save()
        painter.setFont(opt.font)
        painter.setClipRect(rect)
        cuts = sorted({0, len(shown), *(min(p, visible) for span in spans for p in span)})
        x = rect.left()
        for start, end in zip(cuts, cuts[1:], strict=False):
            piece = shown[start:end]
            width = metrics.horizontalAdvance(piece)
            marked = any(a <= start and end <= b for a, b in spans) and end <= visible
            if marked:
                painter.fillRect(QRect(x, top, width, metrics.height()), HIGHLIGHT)
            painter.setPen(HIGHLIGHT_TEXT if marked else pen)
            painter.drawText(QRect(x, top, width + 1, metrics.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             piece)
            x += width
        painter.restore()
