"""``lapor-desk``: arguments, then the GUI, the headless ``sync`` or ``--self-test``.

``sync`` is the core's own command (``sync.cli``): it runs without Qt, so
``main`` hands it over before anything of the GUI is imported.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sync import cli as sync_cli

log = logging.getLogger(__name__)

ORGANIZATION = "LAPOR"
APPLICATION = "LAPOR Desk"


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
    parser.add_argument("--self-test", action="store_true", help="periksa instalasi lalu keluar")
    sub = parser.add_subparsers(dest="command")
    # Listed for --help; main() hands "sync" to the core before this parser runs.
    sync_cli.add_arguments(sub.add_parser("sync", help=sync_cli.HELP))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sync"]:  # headless, for a scheduled task: the core alone, no Qt
        return sync_cli.main(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test(args)
    from desktop.controller import run_gui

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
