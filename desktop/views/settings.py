"""Pengaturan: server, proxy, CA bundle, sync interval, language, office holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.office_days import read_office_days, rules_file, write_office_days
from desktop.session import Session
from desktop.settings import Settings
from desktop.views.common import Screen, page_title
from desktop.words import format_date, plain_label, server_url_problem_text
from sync.http.urls import server_url_problem


class SettingsForm(QWidget):
    """The form over one ``Settings``; it writes only when 'Simpan' is pressed.

    Signals:
        saved(): the settings were written.
        language_changed(str): the language differs from the one before saving.
    """

    saved = Signal()
    language_changed = Signal(str)

    def __init__(
        self, settings: Settings, rules_path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        # The profile's folder holds settings.ini and the office's rules side by side.
        self.rules_path = rules_path or rules_file(settings.path.parent)
        outer = QVBoxLayout(self)
        outer.addWidget(page_title(self.tr("Pengaturan")))
        form = QFormLayout()
        form_box = QWidget()
        form_box.setMaximumWidth(720)  # long fields are hard to read on a wide screen
        form_box.setLayout(form)
        outer.addWidget(form_box)

        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText("https://lapor.contoh.go.id")
        form.addRow(self.tr("Alamat server"), self.server_url)
        self.proxy = QLineEdit()
        self.proxy.setPlaceholderText(self.tr("kosong: ikuti pengaturan sistem"))
        form.addRow(self.tr("Proxy"), self.proxy)
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setPlaceholderText(self.tr("kosong: sertifikat sistem"))
        browse = QPushButton(self.tr("Pilih…"))
        browse.clicked.connect(self.on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.ca_bundle, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Berkas CA"), row)
        self.interval = QSpinBox()
        self.interval.setRange(1, 24 * 60)
        self.interval.setSuffix(self.tr(" menit"))
        form.addRow(self.tr("Sinkronkan setiap"), self.interval)
        self.letter_header = QPlainTextEdit()
        self.letter_header.setObjectName("letter_header")
        self.letter_header.setPlaceholderText(self.tr("Nama kantor\nAlamat, telepon, surel"))
        self.letter_header.setMaximumHeight(80)
        form.addRow(self.tr("Kop surat"), self.letter_header)
        self.language = QComboBox()
        self.language.addItem("Bahasa Indonesia", "id")
        self.language.addItem("English", "en")
        form.addRow(self.tr("Bahasa"), self.language)

        self.holidays = QListWidget()
        self.holidays.setMaximumHeight(140)
        self.holiday_date = QDateEdit(QDate.currentDate())
        self.holiday_date.setCalendarPopup(True)
        self.holiday_date.setDisplayFormat("dd/MM/yyyy")
        add = QPushButton(self.tr("Tambah"))
        add.setObjectName("add_holiday")
        add.clicked.connect(self.on_add_holiday_clicked)
        remove = QPushButton(self.tr("Hapus"))
        remove.clicked.connect(self.on_remove_holiday_clicked)
        holiday_row = QHBoxLayout()
        holiday_row.addWidget(self.holiday_date)
        holiday_row.addWidget(add)
        holiday_row.addWidget(remove)
        holiday_box = QVBoxLayout()
        holiday_box.addWidget(self.holidays)
        holiday_box.addLayout(holiday_row)
        form.addRow(self.tr("Hari libur kantor"), holiday_box)

        self.message = plain_label()
        self.message.setWordWrap(True)
        self.message.setObjectName("settings_message")
        outer.addWidget(self.message)
        self.save_button = QPushButton(self.tr("Simpan"))
        self.save_button.clicked.connect(self.on_save_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        outer.addStretch(1)
        self.load()

    def load(self) -> None:
        s = self.settings
        self.server_url.setText(s.server_url)
        self.proxy.setText(s.proxy)
        self.ca_bundle.setText(s.ca_bundle)
        self.interval.setValue(s.sync_interval_minutes)
        self.letter_header.setPlainText(s.letter_header)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.holidays.clear()
        self.saved_days = read_office_days(self.rules_path)
        for day in self.saved_days:
            self._add_holiday_item(day)

    def _add_holiday_item(self, day: date) -> None:
        for row in range(self.holidays.count()):
            if self.holidays.item(row).data(Qt.ItemDataRole.UserRole) == day.isoformat():
                return
        item = QListWidgetItem(format_date(day))
        item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
        self.holidays.addItem(item)
        self.holidays.sortItems()

    def holiday_dates(self) -> tuple[date, ...]:
        return tuple(
            date.fromisoformat(str(self.holidays.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.holidays.count())
        )

    @Slot()
    def on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Pilih berkas CA"), "", self.tr("Sertifikat (*.pem *.crt);;Semua (*)")
        )
        if path:
            self.ca_bundle.setText(path)

    @Slot()
    def on_add_holiday_clicked(self) -> None:
        picked = self.holiday_date.date()
        self._add_holiday_item(date(picked.year(), picked.month(), picked.day()))

    @Slot()
    def on_remove_holiday_clicked(self) -> None:
        for item in self.holidays.selectedItems():
            self.holidays.takeItem(self.holidays.row(item))

    @Slot()
    def on_save_button_clicked(self) -> None:
        url = self.server_url.text().strip()
        problem = server_url_problem(url) if url else None
        if problem is not None:
            self.message.setText(server_url_problem_text(problem))
            return
        s = self.settings
        old_language = s.language
        s.server_url = url
        s.proxy = self.proxy.text().strip()
        s.ca_bundle = self.ca_bundle.text().strip()
        s.sync_interval_minutes = self.interval.value()
        s.letter_header = self.letter_header.toPlainText().strip()
        s.language = str(self.language.currentData())
        s.sync()
        notes = []
        if self.holiday_dates() != self.saved_days:
            try:
                write_office_days(self.rules_path, self.holiday_dates())
            except (OSError, ValueError):
                self.message.setText(self.tr("Hari libur kantor tidak dapat disimpan."))
                return
            self.saved_days = self.holiday_dates()
            notes.append(
                self.tr("Hari libur kantor dipakai untuk Tenggat setelah aplikasi dibuka ulang.")
            )
        if s.language != old_language:
            notes.append(self.tr("Bahasa baru berlaku setelah aplikasi dibuka ulang."))
            self.language_changed.emit(s.language)
        self.message.setText(" ".join([self.tr("Tersimpan."), *notes]))
        self.saved.emit()


class SettingsView(SettingsForm, Screen):
    """The settings page of the main window; saving tells the session."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session.settings, parent=parent)
        self.session = session
        self.saved.connect(session.settings_changed)
