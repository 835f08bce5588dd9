"""Executable rules of ARCHITECTURE.md and STYLE.md that a reviewer would check by eye."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


def test_core_and_server_never_import_qt() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in ("sync", "server")
        for path, name in _imports(package)
        if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "desktop"}
    ]
    assert offenders == []


def test_server_imports_only_the_protocol_from_sync() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports("server")
        if name.split(".")[0] == "sync" and name != "sync.protocol"
    ]
    assert offenders == []


def test_core_never_imports_desktop_or_server() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports("sync")
        if name.split(".")[0] in {"desktop", "server"}
    ]
    assert offenders == []


def test_tls_verification_is_never_switched_off() -> None:
    pattern = re.compile(r"verify\s*=\s*False")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("sync", "server", "desktop")
        for path in (ROOT / package).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_plaintext_keyring_backend_is_a_dependency() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8").lower()
    assert "keyrings.alt" not in text and "keyrings-alt" not in text


def test_importing_sync_pulls_in_no_database_or_http() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sync, sync.protocol;"
        "bad=[m for m in ('sqlalchemy','requests','PySide6','sqlcipher3') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""
