"""The reply placeholders of SYNC-API.md ({nomor}, {nama_pelapor}, {tanggal}, {judul}).

Filling turns a template into this complaint's reply; ``unfill`` turns a reply
the office sent on another complaint back into a template, so that
complaint's number, reporter and title never leak into a new reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

ANONYMOUS = "Anonim"  # as desktop.words.anonymous_word() in Indonesian


@dataclass(frozen=True)
class Specifics:
    """What names one complaint in a reply's text."""

    number: str
    reporter_name: str | None  # None when anonim: the identity never reached this PC
    submitted_at: datetime
    title: str
    contacts: tuple[str, ...] = ()  # the reporter's phone and e-mail, never carried over


REMOVED = "[dihapus]"  # where another complaint's reporter contact stood


def format_date(at: datetime) -> str:
    """As the reply editor writes {tanggal} (desktop.words.format_date): the local day."""
    return at.astimezone().date().strftime("%d/%m/%Y")


def fill(body: str, specifics: Specifics, *, anonymous: str = ANONYMOUS) -> str:
    """The placeholders filled from the record; an anonymous reporter stays one."""
    values = {
        "{nomor}": specifics.number,
        "{nama_pelapor}": specifics.reporter_name or anonymous,
        "{tanggal}": format_date(specifics.submitted_at),
        "{judul}": specifics.title,
    }
    for placeholder, value in values.items():
        body = body.replace(placeholder, value)
    return body


def unfill(text: str, specifics: Specifics) -> str:
    """``text`` with the complaint's own specifics put back as placeholders.

    The number also by its digits alone ("0000061", "61"), as officers often
    write it. The reporter's phone and e-mail go first (an e-mail holds the
    given name) and become ``REMOVED``: no placeholder names them.
    """
    pairs = [(contact, REMOVED) for contact in specifics.contacts if contact]
    pairs.append((specifics.number, "{nomor}"))
    digits = re.search(r"\d+$", specifics.number)
    if digits:
        pairs.append((digits.group(), "{nomor}"))
        bare = digits.group().lstrip("0")
        if len(bare) >= 2 and bare != digits.group():
            pairs.append((bare, "{nomor}"))
    if specifics.reporter_name:
        pairs.append((specifics.reporter_name, "{nama_pelapor}"))
        first = specifics.reporter_name.split()[0]
        if len(first) >= 3:  # "Bapak Budi": the given name alone names them too
            pairs.append((first, "{nama_pelapor}"))
    pairs.append((format_date(specifics.submitted_at), "{tanggal}"))
    if len(specifics.title) >= 8:  # a short title is likely a common phrase, not this report's
        pairs.append((specifics.title, "{judul}"))
    for value, placeholder in pairs:
        text = re.sub(rf"(?<![\w{{]){re.escape(value)}(?![\w}}])", placeholder, text,
                      flags=re.IGNORECASE)
    return text
