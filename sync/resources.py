"""Where the shipped data files are: the top-level ``resources/`` folder.

It sits beside the packages everywhere: in the source tree (and so an editable
install), in a normal install (site-packages/resources/, shipped as package data:
see pyproject.toml) and in the frozen app (under ``sys._MEIPASS``, see build.spec).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    # PyInstaller unpacks data beside the executable under sys._MEIPASS.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    # Beside the ``sync`` package: the source tree's layout, and site-packages' too.
    return Path(__file__).resolve().parent.parent / "resources"
