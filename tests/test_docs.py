"""The documents' links and images point at files that exist; every decision record is indexed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").rglob("*.md"))
DECISIONS = ROOT / "docs" / "decisions"
# [text](target) and ![alt](target); the target ends at the first space or ')'.
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def relative_targets(document: Path) -> list[str]:
    text = document.read_text(encoding="utf-8")
    targets = [match.group(1) for match in _LINK.finditer(text)]
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("document", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_and_image_of_a_document_exists(document: Path) -> None:
    missing = [
        target
        for target in relative_targets(document)
        if not (document.parent / target.split("#")[0]).exists()
    ]
    assert missing == []


def test_the_decision_index_lists_every_record() -> None:
    records = {p.name for p in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md")}
    indexed = {Path(t).name for t in relative_targets(DECISIONS / "README.md")}
    assert records - indexed == set()


def test_both_user_guides_show_the_same_screens() -> None:
    def screens(name: str) -> list[str]:
        targets = relative_targets(ROOT / "docs" / name)
        return [re.sub(r"-(id|en)\.png$", "", t) for t in targets if t.endswith(".png")]

    assert screens("USER-GUIDE.id.md") == screens("USER-GUIDE.en.md")
    assert screens("USER-GUIDE.id.md") != []
