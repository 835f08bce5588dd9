"""The screenshot script draws every screen from the demo without error."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from desktop.screenshots import SCREEN_SIZE, main


def test_every_screen_is_rendered_to_png(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--lang", "en"]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == [
        "01-login-en.png",
        "02-inbox-en.png",
        "03-reply-editor-en.png",
        "04-outbox-en.png",
        "05-performance-en.png",
        "06-settings-en.png",
        "07-approvals-en.png",
        "08-error-en.png",
        "09-letter-en.png",
        "10-similar-en.png",
    ]
    inbox = QImage(str(tmp_path / "02-inbox-en.png"))
    assert (inbox.width(), inbox.height()) == SCREEN_SIZE
