"""Python's cycle collector, run in the GUI thread only.

The collector runs in whichever thread happens to allocate when a threshold
is crossed: a task on the pool, say. If the garbage it finds holds a Qt
object of the GUI thread (a screen, a model), that object is deleted from
the worker and the process crashes. So automatic collection is off while the
app runs, and a timer in the GUI thread collects instead (qutebrowser and
Anki do the same). Reference counting still frees everything not in a cycle
at once; only cycles wait for the next tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 1000


class GuiThreadCollector(QObject):
    """Turns automatic GC off; ``stop`` turns it back on."""

    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        # Young objects every second, older generations now and then, as gc would.
        self.ticks += 1
        generation = 2 if self.ticks % 60 == 0 else 1 if self.ticks % 10 == 0 else 0
        gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.collect()
        if self.was_enabled:
            gc.enable()
