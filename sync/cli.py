"""``lapor-desk sync --profile DIR``: one headless sync cycle, for a scheduled task.

No window and no Qt. It runs as a user who logged in online on this profile
before (their tokens are in the OS keyring), prints one line, and exits with
0 when synced, 2 when the server could not be reached or was too busy
(nothing is lost: the outbox waits for the next run), 1 for anything that
needs a person, with a sentence on stderr saying what to do.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sync.connection import NetworkOptions
from sync.credentials import SecretStore
from sync.cycle.run import summary
from sync.errors import WorkspaceError
from sync.values import SyncOutcome, SyncReport

EXIT_SYNCED = 0
EXIT_ERROR = 1
EXIT_OFFLINE = 2

# What a person should do, for each outcome that is not "synced" (no Qt here: plain text).
ADVICE = {
    SyncOutcome.OFFLINE: "server tidak terjangkau; pekerjaan tersimpan dan dikirim pada "
                         "putaran berikutnya",
    SyncOutcome.BUSY: "server sedang sibuk; pekerjaan tersimpan dan dikirim pada putaran "
                      "berikutnya",
    SyncOutcome.LOGIN_REQUIRED: "sesi berakhir: masuk sekali lewat aplikasi selagi "
                                "tersambung ke server",
    SyncOutcome.REFUSED: "server menolak permintaan; buka aplikasi untuk melihat sebabnya",
    SyncOutcome.MASS_REMOVAL_REFUSED: "server akan menghapus sebagian besar laporan kantor; "
                                      "buka aplikasi untuk memutuskan",
    SyncOutcome.ERROR: "jawaban server tidak dapat dipakai; hubungi pengelola server",
}


HELP = "satu putaran sinkronisasi tanpa jendela"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments (also listed in ``lapor-desk --help``)."""
    parser.add_argument("--profile", type=Path, required=True, help="folder profil")
    parser.add_argument("--user", help="nama pengguna (bawaan: yang terakhir masuk daring)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lapor-desk sync", description=HELP.capitalize() + ".")
    add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    return run_sync(args.profile, args.user)


def run_sync(
    profile_dir: Path | str, username: str | None = None, *, options: NetworkOptions | None = None
) -> int:
    """Run one cycle on the profile in ``profile_dir``; returns the exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from sync.workspace import Workspace

    directory = Path(profile_dir)
    if not (directory / "profile.json").exists():
        print(f"lapor-desk sync: tidak ada profil di {directory}", file=sys.stderr)
        return EXIT_ERROR
    secrets = SecretStore()
    try:
        workspace = Workspace.open(directory, secrets=secrets)
    except WorkspaceError as exc:
        print(f"lapor-desk sync: {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    try:
        if workspace.locked:
            print("lapor-desk sync: profil terkunci (kunci tidak ada di keyring): "
                  "masuk sekali lewat aplikasi", file=sys.stderr)
            return EXIT_ERROR
        if options is not None:
            workspace.network = options
        report = workspace.sync_unattended(username)
    finally:
        workspace.close()
    print(summary(report))
    if not report.ok:
        print(f"lapor-desk sync: {ADVICE[report.outcome]} ({report.error_code})", file=sys.stderr)
    return exit_code(report)


def exit_code(report: SyncReport) -> int:
    if report.outcome == SyncOutcome.SYNCED:
        return EXIT_SYNCED
    if report.outcome in (SyncOutcome.OFFLINE, SyncOutcome.BUSY):
        return EXIT_OFFLINE
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
