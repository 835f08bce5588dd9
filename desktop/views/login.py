"""Masuk: the first run asks for the server; later, one click picks a known user."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings
from desktop.words import plain_label, role_name, server_url_problem_text
from sync.http.urls import server_url_problem


class LoginView(QWidget):
    """Server address (first run or on request), known users, username and password.

    Signals:
        login_requested(str, str, str): server URL, username, password.
        demo_network_cut(bool): in the demo, the person cut (True) or restored the network.
    """

    login_requested = Signal(str, str, str)
    demo_network_cut = Signal(bool)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("login_view")
        # Qt adds " — LAPOR Desk" (the application's display name) itself.
        self.setWindowTitle(self.tr("Masuk"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        title = plain_label(self.tr("LAPOR Desk"))
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        outer.addWidget(title)
        subtitle = plain_label(self.tr("Tindak lanjut laporan SP4N-LAPOR! untuk kantor Anda"))
        outer.addWidget(subtitle)

        self.known_box = QFrame()
        known_layout = QVBoxLayout(self.known_box)
        known_layout.setContentsMargins(0, 10, 0, 0)
        known_layout.addWidget(plain_label(self.tr("Pengguna di komputer ini:")))
        self.known_row = QHBoxLayout()
        known_layout.addLayout(self.known_row)
        outer.addWidget(self.known_box)
        self.user_buttons: list[QPushButton] = []

        form = QFormLayout()
        self.server_url = QLineEdit(settings.server_url)
        self.server_url.setPlaceholderText("https://lapor.contoh.go.id")
        self.server_label = plain_label(self.tr("Alamat server"))
        form.addRow(self.server_label, self.server_url)
        self.username = QLineEdit(settings.last_username)
        form.addRow(self.tr("Nama pengguna"), self.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Kata sandi"), self.password)
        outer.addLayout(form)

        self.message = plain_label()
        self.message.setObjectName("login_message")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)

        self.change_server_button = QPushButton(self.tr("Ubah server"))
        self.change_server_button.setFlat(True)
        self.change_server_button.clicked.connect(self.on_change_server_button_clicked)
        self.login_button = QPushButton(self.tr("Masuk"))
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.on_login_button_clicked)
        self.password.returnPressed.connect(self.on_login_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_server_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        outer.addLayout(buttons)

        self.demo_box = QFrame()
        self.demo_box.setObjectName("demo_box")
        self.demo_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.demo_box.setStyleSheet("#demo_box { background: #fff8e1; }")
        self.demo_layout = QVBoxLayout(self.demo_box)
        self.demo_box.setVisible(False)
        outer.addWidget(self.demo_box)
        outer.addStretch(1)

        # The address is asked for on the first run only; it stays one click away.
        first_run = not settings.server_url
        self.server_url.setVisible(first_run)
        self.server_label.setVisible(first_run)
        self.change_server_button.setVisible(not first_run)
        self.set_known_users(settings.known_users)
        (self.password if self.username.text() else self.username).setFocus()

    def set_known_users(self, usernames: Sequence[str]) -> None:
        for button in self.user_buttons:
            button.deleteLater()
        self.user_buttons = []
        for name in usernames:
            button = QPushButton(name)
            button.setObjectName(f"known_user_{name}")
            button.setCheckable(True)
            button.clicked.connect(self.on_known_user_clicked)
            self.known_row.addWidget(button)
            self.user_buttons.append(button)
        self.known_box.setVisible(bool(usernames))

    def set_demo_credentials(
        self, users: Sequence[tuple[str, str, str]], network_cut: bool = False
    ) -> None:
        """Show (username, password, role) of the demo's users, and the demo's network switch.

        The passwords are public. The switch is the Demo menu's "Putuskan jaringan",
        here too, so an offline first login can be tried, and undone, before any
        main window (and its menu) exists.
        """
        self.demo_layout.addWidget(
            plain_label(self.tr("Mode demo: server contoh berjalan di komputer ini."))
        )
        for username, password, role in users:
            line = plain_label(
                self.tr("%1 / %2 · %3")
                .replace("%1", username)
                .replace("%2", password)
                .replace("%3", role_name(role))
            )
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.demo_layout.addWidget(line)
        self.demo_network = QCheckBox(self.tr("Jaringan demo terputus"))
        self.demo_network.setObjectName("demo_network")
        self.demo_network.setToolTip(self.tr("Sama dengan menu Demo › Putuskan jaringan"))
        self.demo_network.setChecked(network_cut)
        self.demo_network.toggled.connect(self.on_demo_network_toggled)
        self.demo_layout.addWidget(self.demo_network)
        self.demo_box.setVisible(True)

    @Slot(bool)
    def on_demo_network_toggled(self, cut: bool) -> None:
        self.demo_network_cut.emit(cut)

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.login_button.setEnabled(not busy)
        self.message.setStyleSheet("")
        self.message.setText(text)

    def show_problem(self, text: str) -> None:
        self.set_busy(False)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)
        self.password.selectAll()
        self.password.setFocus()

    @Slot()
    def on_known_user_clicked(self) -> None:
        button = self.sender()
        for other in self.user_buttons:
            other.setChecked(other is button)
        if isinstance(button, QPushButton):
            self.username.setText(button.text())
            self.password.clear()
            self.password.setFocus()

    @Slot()
    def on_change_server_button_clicked(self) -> None:
        self.server_url.setVisible(True)
        self.server_label.setVisible(True)
        self.change_server_button.setVisible(False)
        self.server_url.setFocus()

    @Slot()
    def on_login_button_clicked(self) -> None:
        if not self.login_button.isEnabled():
            return
        url = self.server_url.text().strip()
        username = self.username.text().strip()
        problem = server_url_problem(url) if url else "not_a_url"
        if problem is not None:
            self.show_problem(server_url_problem_text(problem))
            return
        if not username or not self.password.text():
            self.show_problem(self.tr("Isi nama pengguna dan kata sandi."))
            return
        self.set_busy(True, self.tr("Sedang masuk…"))
        self.login_requested.emit(url, username, self.password.text())

    def clear_password(self) -> None:
        self.password.clear()
