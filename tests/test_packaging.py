"""A normal ``pip install`` (not editable, not frozen) ships and finds the rules and .qm files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("desktop", "sync", "server", "resources", "pyproject.toml", "README.md")

# Run in the installed copy: where the code and its data came from, and what it made of them.
PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import sync
from sync.deadlines import Rules
from sync.resources import resources_dir
from desktop.i18n import translations_dir
from PySide6.QtCore import QTranslator

translator = QTranslator()
print(json.dumps({
    "sync": sync.__file__,
    "resources": str(resources_dir()),
    "rules_timezone": Rules.load().timezone,
    "english_loads": translator.load("lapor_en", str(translations_dir())),
}))
"""


def _run(*args: str | Path, cwd: Path) -> str:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_built_wheel_carries_the_resources_and_the_installed_app_finds_them(
    tmp_path: Path,
) -> None:
    # A copy, so the build's own build/ and egg-info never land in the working tree.
    source = tmp_path / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    # No build isolation: offline, with this environment's setuptools (>= 70.1, see pyproject).
    _run("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir",
         tmp_path / "wheels", source, cwd=tmp_path)
    (wheel,) = (tmp_path / "wheels").glob("lapor_desk-*.whl")

    shipped = set(zipfile.ZipFile(wheel).namelist())
    needed = {
        path.relative_to(ROOT).as_posix()
        for pattern in ("resources/rules/*.json", "resources/translations/*.qm",
                        "resources/icons/app.png")
        for path in ROOT.glob(pattern)
    }
    assert "resources/rules/default.json" in needed
    assert "resources/translations/lapor_en.qm" in needed
    assert needed <= shipped
    assert not any(name.endswith(".ts") for name in shipped)  # sources, not run-time data

    site = tmp_path / "site"
    _run("-m", "pip", "install", "--no-deps", "--no-index", "--target", site, wheel,
         cwd=tmp_path)
    found = json.loads(_run("-c", PROBE, site, cwd=tmp_path))
    assert Path(found["sync"]).is_relative_to(site)  # the installed copy, not the source tree
    assert found["resources"] == str(site / "resources")
    shipped_rules = json.loads((ROOT / "resources/rules/default.json").read_text("utf-8"))
    assert found["rules_timezone"] == shipped_rules["timezone"]
    assert found["english_loads"] is True
