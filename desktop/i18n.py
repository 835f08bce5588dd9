"""Translations: the source strings are Indonesian, English is the translation.

Writing the source strings in Indonesian makes Indonesian the language the app
shows even when no ``.qm`` file is found; ``resources/translations/lapor_en.ts``
holds the English. The ``.qm`` files are committed beside the ``.ts`` (a test
checks that they match), so a fresh checkout runs without Qt's tools.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from sync.resources import resources_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "id"

# Marks a source text for lupdate (which finds it by this name) and returns it as it is.
# PySide6's stub says it returns ``object``; it returns the text, a str.
QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], QtCore.QT_TRANSLATE_NOOP)


def translations_dir() -> Path:
    return resources_dir() / "translations"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's and Qt's own translations for ``language``; returns them.

    The caller keeps the list alive (a collected QTranslator stops translating)
    and passes it to ``remove_translators`` before switching language.
    """
    installed: list[QTranslator] = []
    # Dates read day first in both languages, as offices write them.
    QLocale.setDefault(QLocale("id_ID" if language == "id" else "en_GB"))
    candidates: list[tuple[str, Path]] = []
    if language != SOURCE_LANGUAGE:
        candidates.append((f"lapor_{language}", translations_dir()))
    # Qt's own dialogs and buttons; Qt ships no qtbase_id.qm today, so one may be
    # put beside ours, and Qt's folder is tried too.
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for folder in (translations_dir(), qt_dir):
        candidates.append((f"qtbase_{language}", folder))
    loaded_names: set[str] = set()
    for name, folder in candidates:
        if name in loaded_names:
            continue
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
            loaded_names.add(name)
        elif name.startswith("lapor_"):
            log.warning("translation %s not found in %s", name, folder)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
    translators.clear()


# --- for developers: keep the .ts in step with the code, build the .qm ---------------

TS_FILE = "lapor_en.ts"


def _qt_tool(name: str) -> Path:
    import PySide6

    suffix = ".exe" if sys.platform == "win32" else ""
    # __path__, not __file__: a PySide6 whose __init__.py went missing (a half-done
    # reinstall) still imports as a namespace package, with __file__ None.
    return Path(next(iter(PySide6.__path__))).resolve() / f"{name}{suffix}"


def source_files() -> list[Path]:
    """The modules lupdate reads: every screen and word of the GUI."""
    package = Path(__file__).resolve().parent
    return sorted(p for p in package.rglob("*.py") if p.name != "selftest.py")


def update_ts(ts: Path) -> None:
    """Add new source strings to ``ts`` (keeping every translation), drop vanished ones."""
    subprocess.run(  # noqa: S603 - Qt's own tool with fixed arguments
        [
            str(_qt_tool("lupdate")),
            *map(str, source_files()),
            "-ts",
            str(ts),
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            ts.stem.split("_")[-1],
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
        ],
        check=True,
    )


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run(  # noqa: S603 - Qt's own tool with fixed arguments
        [str(_qt_tool("lrelease")), "-silent", "-nounfinished", str(ts), "-qm", str(qm)],
        check=True,
    )


def main() -> int:
    """``python -m desktop.i18n``: refresh lapor_en.ts from the code, then build lapor_en.qm."""
    ts = translations_dir() / TS_FILE
    update_ts(ts)
    compile_qm(ts, ts.with_suffix(".qm"))
    print(f"{ts.name}: updated; {ts.with_suffix('.qm').name}: built")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
