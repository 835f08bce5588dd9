"""Kinerja: the office's figures for a period, with charts, exported to CSV and PDF."""

from __future__ import annotations

import html
import logging
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, Qt, QUrl, Slot
from PySide6.QtGui import QPainter, QPdfWriter, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import words
from desktop.errors import show_error
from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.models.table import Column, ValueTableModel
from desktop.performance_data import PerformanceData, load_performance, write_csv
from desktop.printing import Paper, page_document, print_document
from desktop.session import Session
from desktop.views.common import Screen, list_table, page_title
from desktop.workers import LatestRead
from sync.kpi import KpiRow, Period, PeriodKind

log = logging.getLogger(__name__)


def percent(value: float | None) -> str:
    return "–" if value is None else QLocale().toString(value, "f", 1) + " %"


def signed_percent(value: float) -> str:
    """A change: "+12,5 %" up, "-12,5 %" down, "0,0 %" for what rounds to none (never "-0,0")."""
    text = QLocale().toString(value, "f", 1)
    if text.lstrip("-+") == QLocale().toString(0.0, "f", 1):
        return text.lstrip("-+") + " %"
    return ("+" if value > 0 else "") + text + " %"


def days(value: float | None) -> str:
    if value is None:
        return "–"
    return words.tr_days(QLocale().toString(value, "f", 1))


def _whole_numbers(axis: QValueAxis, maximum: int) -> None:
    """Counts on an axis: no '1, 1, 2' from ticks between whole numbers."""
    axis.setLabelFormat("%d")
    axis.setRange(0, maximum)
    if maximum <= 10:
        axis.setTickCount(maximum + 1)
    else:
        axis.applyNiceNumbers()


class KpiTableModel(ValueTableModel[KpiRow]):
    context = "KpiTableModel"

    def __init__(self, first_header: str, no_key: str = "–") -> None:
        super().__init__(
            [
                Column(first_header, lambda r: r.key or no_key),
                Column(
                    QT_TRANSLATE_NOOP("KpiTableModel", "Diterima"),
                    lambda r: str(r.current.received),
                ),
                Column(
                    QT_TRANSLATE_NOOP("KpiTableModel", "Ditindaklanjuti"),
                    lambda r: percent(r.current.followed_up_pct),
                ),
                Column(
                    QT_TRANSLATE_NOOP("KpiTableModel", "Tepat waktu"),
                    lambda r: percent(r.current.on_time_pct),
                ),
                Column(
                    QT_TRANSLATE_NOOP("KpiTableModel", "Selesai"),
                    lambda r: percent(r.current.completed_pct),
                ),
                Column(
                    QT_TRANSLATE_NOOP("KpiTableModel", "Rata-rata ke tindak lanjut"),
                    lambda r: days(r.current.days_to_followup),
                ),
            ]
        )


MAX_TABLE_ROWS = 12  # past this a table scrolls inside the page


def fit_rows(table: QTableView) -> None:
    """As tall as its rows (up to ``MAX_TABLE_ROWS``): the page scrolls, not each table."""
    rows = min(max(table.model().rowCount(), 3), MAX_TABLE_ROWS)
    height = (table.horizontalHeader().sizeHint().height()
              + rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth())
    table.setFixedHeight(height)


class PerformanceView(Screen):
    """Period chooser, five figures, three charts, two tables, two exports."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: PerformanceData | None = None
        self.read = LatestRead(
            session.runner, load_performance, "kinerja", self, on_failure=self.on_load_failed
        )
        self.read.ready.connect(self.on_load_succeeded)

        today = date.today()
        self.kind = QComboBox()
        self.kind.setObjectName("period_kind")
        self.kind.addItem(self.tr("Bulan"), PeriodKind.MONTH.value)
        self.kind.addItem(self.tr("Semester"), PeriodKind.SEMESTER.value)
        self.kind.addItem(self.tr("Tahun"), PeriodKind.YEAR.value)
        self.year = QSpinBox()
        self.year.setRange(2015, 2100)
        self.year.setValue(today.year)
        self.number = QComboBox()
        self.number.setObjectName("period_number")
        self._fill_numbers(today.month)
        self.kind.currentIndexChanged.connect(self.on_kind_currentIndexChanged)
        self.year.valueChanged.connect(self.on_period_changed)
        self.number.currentIndexChanged.connect(self.on_period_changed)
        self.csv_button = QPushButton(self.tr("Ekspor CSV"))
        self.csv_button.clicked.connect(self.on_csv_button_clicked)
        self.pdf_button = QPushButton(self.tr("Ekspor PDF"))
        self.pdf_button.clicked.connect(self.on_pdf_button_clicked)
        top = QHBoxLayout()
        top.addWidget(words.plain_label(self.tr("Periode")))
        for widget in (self.kind, self.number, self.year):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)

        self.cards: dict[str, QLabel] = {}
        cards = QGridLayout()
        self.card_titles = {
            "received": self.tr("Laporan diterima"),
            "followed_up": self.tr("Ditindaklanjuti"),
            "on_time": self.tr("Tindak lanjut ≤ 5 hari kerja"),
            "completed": self.tr("Selesai"),
            "days": self.tr("Rata-rata waktu tindak lanjut"),
        }
        for column, (key, title) in enumerate(self.card_titles.items()):
            heading = words.plain_label(title)
            heading.setStyleSheet("color: #555;")
            value = words.plain_label("–")
            value.setObjectName(f"card_{key}")
            value.setStyleSheet("font-size: 18pt; font-weight: 600;")
            cards.addWidget(heading, 0, column)
            cards.addWidget(value, 1, column)
            self.cards[key] = value
        self.status_line = words.plain_label()
        self.status_line.setObjectName("performance_status")

        self.status_chart = QChartView()
        self.category_chart = QChartView()
        self.trend_chart = QChartView()
        charts = QGridLayout()
        for view in (self.status_chart, self.category_chart, self.trend_chart):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(250)
        # Category names are long: their chart gets the whole width.
        charts.addWidget(self.status_chart, 0, 0)
        charts.addWidget(self.trend_chart, 0, 1)
        charts.addWidget(self.category_chart, 1, 0, 1, 2)

        self.category_model = KpiTableModel(QT_TRANSLATE_NOOP("KpiTableModel", "Kategori"))
        self.officer_model = KpiTableModel(
            QT_TRANSLATE_NOOP("KpiTableModel", "Petugas"), self.tr("(belum ditindaklanjuti)")
        )
        # One above the other, each the page's width: side by side at 1366 pixels
        # their last column was cut ("Rata-rata ke tindak lanjut").
        tables = QVBoxLayout()
        for model, name in (
            (self.category_model, "kpi_by_category"),
            (self.officer_model, "kpi_by_officer"),
        ):
            table = list_table(model, name)
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names
            fit_rows(table)
            model.modelReset.connect(self.on_table_model_modelReset)
            tables.addWidget(table)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(page_title(self.tr("Kinerja")))
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(self.status_line)
        layout.addLayout(charts)
        layout.addLayout(tables)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.stale = True  # counted when first shown, and again when shown after a change
        session.data_changed.connect(self.on_session_data_changed)
        self.refresh()

    # --- the period -------------------------------------------------------------------
    def _fill_numbers(self, month: int) -> None:
        kind = PeriodKind(self.kind.currentData())
        self.number.blockSignals(True)
        self.number.clear()
        if kind is PeriodKind.MONTH:
            for m in range(1, 13):
                self.number.addItem(QLocale().standaloneMonthName(m), m)
            self.number.setCurrentIndex(month - 1)
        elif kind is PeriodKind.SEMESTER:
            self.number.addItem(self.tr("Januari–Juni"), 1)
            self.number.addItem(self.tr("Juli–Desember"), 2)
            self.number.setCurrentIndex(0 if month <= 6 else 1)
        self.number.setVisible(kind is not PeriodKind.YEAR)
        self.number.blockSignals(False)

    def period(self) -> Period:
        kind = PeriodKind(self.kind.currentData())
        number = int(self.number.currentData()) if kind is not PeriodKind.YEAR else 1
        return Period(kind, self.year.value(), number)

    def set_period(self, period: Period) -> None:
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(period.kind.value))
        self.kind.blockSignals(False)
        self.year.blockSignals(True)
        self.year.setValue(period.year)
        self.year.blockSignals(False)
        self._fill_numbers(period.first_day.month)
        self.refresh()

    @Slot(int)
    def on_kind_currentIndexChanged(self, _index: int) -> None:
        self._fill_numbers(date.today().month)
        self.refresh()

    @Slot()
    def on_period_changed(self) -> None:
        self.refresh()

    # --- loading --------------------------------------------------------------------
    @Slot()
    def on_table_model_modelReset(self) -> None:
        for table in self.findChildren(QTableView):
            fit_rows(table)

    @Slot()
    def on_session_data_changed(self) -> None:
        # Kinerja reads every record: only for a person looking at it.
        self.stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        self.stale = False
        self.status_line.setText(self.tr("Menghitung…"))
        self.read.ask(self.session.workspace, self.period())

    @Slot(object)
    def on_load_succeeded(self, data: PerformanceData) -> None:
        self.data = data
        overall = data.report.overall
        f, change = overall.current, overall.change
        self.cards["received"].setText(str(f.received))
        self.cards["followed_up"].setText(percent(f.followed_up_pct))
        self.cards["on_time"].setText(percent(f.on_time_pct))
        self.cards["completed"].setText(percent(f.completed_pct))
        self.cards["days"].setText(days(f.days_to_followup))
        if change.received_pct is None:
            self.status_line.setText(self.tr("Periode sebelumnya: tidak ada data pembanding."))
        else:
            self.status_line.setText(
                self.tr("Dibanding periode sebelumnya: laporan diterima %1").replace(
                    "%1", signed_percent(change.received_pct)
                )
            )
        self.category_model.set_rows(data.report.by_category)
        self.officer_model.set_rows(data.report.by_officer)
        self._draw_charts(data)

    @Slot(object)
    def on_load_failed(self, error: BaseException) -> None:
        self.status_line.setText(self.tr("Kinerja tidak dapat dihitung."))
        show_error(self, error)

    def _draw_charts(self, data: PerformanceData) -> None:
        status_chart = QChart()
        status_chart.setTitle(self.tr("Laporan menurut status"))
        pie = QPieSeries()
        for status, count in data.by_status.items():
            if count:
                pie.append(f"{words.status_name(status)} ({count})", count)
        status_chart.addSeries(pie)
        status_chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self._replace_chart(self.status_chart, status_chart)

        category_chart = QChart()
        category_chart.setTitle(self.tr("Laporan diterima menurut kategori"))
        rows = [row for row in data.report.by_category if row.current.received][::-1]
        bars = QBarSet(self.tr("Diterima"))
        for row in rows:
            bars.append(row.current.received)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        category_chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([row.key or "–" for row in rows])
        category_chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = QValueAxis()
        _whole_numbers(counts, max([row.current.received for row in rows] + [1]))
        category_chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        category_chart.legend().setVisible(False)
        self._replace_chart(self.category_chart, category_chart)

        trend_chart = QChart()
        trend_chart.setTitle(self.tr("Tindak lanjut tepat waktu (%)"))
        line = QLineSeries()
        labels = []
        for index, (period, value) in enumerate(data.trend):
            if value is not None:
                line.append(index, value)
            labels.append(words.month_short(period.number))
        trend_chart.addSeries(line)
        months = QBarCategoryAxis()
        months.append(labels)
        trend_chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        share = QValueAxis()
        share.setRange(0, 100)
        share.setLabelFormat("%d")
        trend_chart.addAxis(share, Qt.AlignmentFlag.AlignLeft)
        line.attachAxis(share)
        trend_chart.legend().setVisible(False)
        self._replace_chart(self.trend_chart, trend_chart)

    @staticmethod
    def _replace_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    # --- exports ----------------------------------------------------------------------
    def csv_headers(self) -> dict[str, str]:
        return {
            "period": self.tr("Periode"),
            "group": self.tr("Kelompok"),
            "name": self.tr("Nama"),
            "received": self.tr("Diterima"),
            "followed_up_pct": self.tr("Ditindaklanjuti (%)"),
            "on_time_pct": self.tr("Tepat waktu (%)"),
            "completed_pct": self.tr("Selesai (%)"),
            "days_to_followup": self.tr("Rata-rata hari kerja ke tindak lanjut"),
            "overall": self.tr("Kantor"),
            "category": self.tr("Kategori"),
            "officer": self.tr("Petugas"),
        }

    def export_csv(self, path: Path) -> None:
        if self.data is not None:
            write_csv(self.data, path, self.csv_headers())

    def export_pdf(self, path: Path) -> None:
        if self.data is None:
            return
        writer = QPdfWriter(str(path))
        title = self.tr("Kinerja")
        writer.setTitle(title)
        document = page_document(writer, Paper.REPORT)
        parts = [f"<h2>{html.escape(title)} · {html.escape(str(self.period()))}</h2>"]
        parts.append("<table cellpadding='4'>")
        for key, label in self.cards.items():
            title = self.card_titles[key]
            parts.append(
                f"<tr><td>{html.escape(title)}</td><td><b>{html.escape(label.text())}</b></td></tr>"
            )
        parts.append("</table>")
        for number, view in enumerate((self.status_chart, self.category_chart, self.trend_chart)):
            name = f"chart{number}.png"
            document.addResource(
                QTextDocument.ResourceType.ImageResource, QUrl(name), view.grab().toImage()
            )
            parts.append(f"<img src='{name}' width='300'>")
        for model in (self.category_model, self.officer_model):
            parts.append("<table border='1' cellspacing='0' cellpadding='3'><tr>")
            parts += [
                f"<th>{html.escape(str(model.headerData(c, Qt.Orientation.Horizontal)))}</th>"
                for c in range(model.columnCount())
            ]
            parts.append("</tr>")
            for row in range(model.rowCount()):
                cells = (
                    html.escape(str(model.index(row, c).data())) for c in range(model.columnCount())
                )
                parts.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
            parts.append("</table><br>")
        document.setHtml("".join(parts))
        print_document(document, writer)

    @Slot()
    def on_csv_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Ekspor CSV"), f"kinerja-{self.period()}.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    @Slot()
    def on_pdf_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Ekspor PDF"), f"kinerja-{self.period()}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.export_pdf(Path(path))
