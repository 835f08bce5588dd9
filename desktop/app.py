"""``lapor-desk``: arguments, the QApplication, logging, the profile.

Subcommands and flags are registered, not hard-wired, so the sync worker's
headless ``sync`` command and the packaging ``--self-test`` plug in here
without touching the GUI's start-up.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ORGANIZATION = "LAPOR"
APPLICATION = "LAPOR Desk"


@dataclass(frozen=True)
class Command:
    """A subcommand: ``configure`` adds its arguments, ``run`` returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


_COMMANDS: dict[str, Command] = {}
# Flags that replace the GUI run when set (e.g. --self-test): (dest, handler).
_FLAG_HANDLERS: list[tuple[str, Callable[[argparse.Namespace], int]]] = []


def register_command(command: Command) -> None:
    _COMMANDS[command.name] = command


def register_flag(flag: str, help: str, run: Callable[[argparse.Namespace], int]) -> None:
    """A ``--flag`` that runs ``run(args)`` instead of the GUI."""
    dest = flag.lstrip("-").replace("-", "_")
    _FLAG_HANDLERS.append((dest, run))
    _EXTRA_FLAGS.append((flag, dest, help))


_EXTRA_FLAGS: list[tuple[str, str, str]] = []


def default_profile_dir() -> Path:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "profiles" / "default"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lapor-desk",
        description="LAPOR Desk: tindak lanjut laporan SP4N-LAPOR! untuk kantor Anda.",
    )
    parser.add_argument("--profile", type=Path, help="folder profil (data, pengaturan, log)")
    from desktop.settings import LANGUAGES  # imports Qt: not at module level (see main)

    parser.add_argument("--lang", choices=LANGUAGES, help="bahasa tampilan: id (bawaan) atau en")
    parser.add_argument(
        "--demo", action="store_true", help="jalankan dengan server demo di komputer ini"
    )
    parser.add_argument(
        "--upstream",
        action="store_true",
        help="dengan --demo: server demo sebagai hub di depan simulator SP4N-LAPOR!",
    )
    for flag, dest, help_text in _EXTRA_FLAGS:
        parser.add_argument(flag, dest=dest, action="store_true", help=help_text)
    if _COMMANDS:
        sub = parser.add_subparsers(dest="command")
        for command in _COMMANDS.values():
            command.configure(sub.add_parser(command.name, help=command.help))
    return parser


def _configure_sync(parser: argparse.ArgumentParser) -> None:
    # Listed for --help; main() hands "sync" to the core before this parser runs.
    parser.add_argument("--profile", type=Path, required=True, help="folder profil")
    parser.add_argument("--user", help="nama pengguna (bawaan: yang terakhir masuk daring)")


def _run_sync(args: argparse.Namespace) -> int:
    from sync.cli import run_sync  # the headless cycle belongs to the core

    return run_sync(args.profile, args.user)


def _run_self_test(args: argparse.Namespace) -> int:
    from desktop.selftest import run_self_test

    return run_self_test(args)


register_command(
    Command("sync", "satu putaran sinkronisasi tanpa jendela", _configure_sync, _run_sync)
)
register_flag("--self-test", "periksa instalasi lalu keluar", _run_self_test)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sync"]:  # headless, for a scheduled task: the core alone, no Qt
        from sync.cli import main as sync_main

        return sync_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    if getattr(args, "command", None):
        return _COMMANDS[args.command].run(args)
    for dest, handler in _FLAG_HANDLERS:
        if getattr(args, dest, False):
            return handler(args)
    from desktop.controller import run_gui

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
