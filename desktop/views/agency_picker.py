"""Bukan Wewenang's target agency: picked from the server's list, typed where it has none.

An editable combo box: typing filters the list (any part of the name, any
case); a name that is not in the list is kept as typed, the fallback for an
agency the server does not know and for a server without the list.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from sync.values import AgencyInfo


class AgencyPicker(QComboBox):
    """The agency's name as text, like the line edit it replaces.

    Signals:
        textEdited(str): the person typed or picked a name.
    """

    textEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typed names stay out of the list
        self.setMaxVisibleItems(12)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self._line().textEdited.connect(self.textEdited)
        self.activated.connect(self.on_activated)

    def set_agencies(self, agencies: list[AgencyInfo]) -> None:
        """Offer ``agencies``; what is written stays written."""
        text = self.text()
        with QSignalBlocker(self):
            self.clear()
            for agency in agencies:
                self.addItem(agency.name, agency.id)
            self.setText(text)

    def _line(self) -> QLineEdit:
        line = self.lineEdit()
        assert line is not None  # editable since __init__, so it has its line edit
        return line

    def names(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count())]

    def text(self) -> str:
        return self.currentText().strip()

    def setText(self, text: str) -> None:
        with QSignalBlocker(self):
            index = self.findText(text)
            self.setCurrentIndex(index)
            self.setEditText(text)

    def setPlaceholderText(self, text: str) -> None:
        self._line().setPlaceholderText(text)

    def setReadOnly(self, read_only: bool) -> None:
        self._line().setReadOnly(read_only)
        self.setEnabled(not read_only or bool(self.text()))  # a read-only name stays legible

    @Slot(int)
    def on_activated(self, index: int) -> None:
        self.textEdited.emit(self.itemText(index))
