"""Rules of STYLE.md for the GUI that a reviewer would otherwise check by eye."""

from __future__ import annotations

import ast
from pathlib import Path

# The demo, and the self-test that checks the demo can start.
LAZY_SERVER_USERS = {"demo.py", "selftest.py"}
DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(DESKTOP.rglob("*.py"))]


def _is_connect(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "connect"
    )


def test_no_lambda_or_partial_is_connected_to_a_signal() -> None:
    # Connected to a worker's signal they would run in the worker thread (rule 6).
    offenders = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if _is_connect(node) and node.args:  # type: ignore[attr-defined]
                target = node.args[0]  # type: ignore[attr-defined]
                if isinstance(target, ast.Lambda) or (
                    isinstance(target, ast.Call) and getattr(target.func, "id", "") == "partial"
                ):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_slots_return_nothing() -> None:
    # PySide6 6.12 releases a slot's returned bool once too often: a crash at exit.
    offenders = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            is_slot = any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "Slot"
                for d in node.decorator_list
            )
            returns_none = isinstance(node.returns, ast.Constant) and node.returns.value is None
            if is_slot and not returns_none:
                offenders.append(f"{path.name}:{node.name}")
    assert offenders == []


def test_labels_are_made_plain_text() -> None:
    # Report text must never be read as markup: labels come from words.plain_label.
    allowed = {"words.py", "errors.py"}
    offenders = [
        f"{path.name}:{node.lineno}"
        for path, tree in _trees()
        if path.name not in allowed
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QLabel"
    ]
    assert offenders == []


def test_only_the_demo_imports_the_server() -> None:
    offenders = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            module = (
                node.module
                if isinstance(node, ast.ImportFrom)
                else node.names[0].name
                if isinstance(node, ast.Import)
                else None
            )
            if module and module.split(".")[0] == "server" and path.name not in LAZY_SERVER_USERS:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_column_headers_are_marked_for_translation() -> None:
    # A plain string header is never seen by lupdate and stays Indonesian in English.
    offenders = [
        f"{path.name}:{node.lineno}"
        for path, tree in _trees()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "Column"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert offenders == []


def test_no_translated_string_hides_inside_an_f_string() -> None:
    # lupdate does not read f-strings: a tr() there is never translated.
    offenders = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "attr", "") in (
                        "tr",
                        "translate",
                    ):
                        offenders.append(f"{path.name}:{inner.lineno}")
    assert offenders == []
