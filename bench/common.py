"""What every benchmark shares: arguments, checks against a floor, JSON out, seeded peers.

A benchmark prints one JSON document on stdout and a one-line summary on
stderr, and exits 0 whether or not a target was met (the figures are the
result; CI runs the small sizes only to see that every bench still runs).
Every figure comes with a floor or baseline measured in the same run, because
these machines are noisy: a ratio travels between machines, a bare
millisecond count does not.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the project and tests/ importable
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from keyring.backend import KeyringBackend  # noqa: E402
from keyring.errors import PasswordDeleteError  # noqa: E402

# The demo office's officer; the seeded server's password rule is "demo-<name>".
OFFICER = "petugas1"
SUPERVISOR = "atasan1"
BENCH_KDF = 2**10  # logins are not what these benches time; scrypt at full cost is


# --- arguments ------------------------------------------------------------------


def parser(description: str, *, size: int, small: int) -> argparse.ArgumentParser:
    """``--size N`` (default: the issue's size) and ``--small`` (CI's smoke size)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--size", type=int, default=size, help=f"complaints (default {size})")
    p.add_argument("--small", action="store_true", help=f"smoke size ({small}) for CI")
    p.add_argument("--repeat", type=int, default=None, help="samples per timed action")
    p.add_argument("--workdir", type=Path, default=None, help="keep files here (default: temp)")
    p.set_defaults(small_size=small)
    return p


def size_of(args: argparse.Namespace) -> int:
    return int(args.small_size if args.small else args.size)


@contextmanager
def workdir(args: argparse.Namespace) -> Iterator[Path]:
    """A folder for profiles and server files, removed afterwards unless ``--workdir``."""
    import tempfile

    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        yield args.workdir
        return
    with tempfile.TemporaryDirectory(prefix="lapor-bench-") as tmp:
        yield Path(tmp)


# --- measuring --------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); robust for the small samples we take."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def samples_ms(action: Callable[[], object], count: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        action()
    return [timed_ms(action) for _ in range(count)]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb()


@dataclass(frozen=True)
class Check:
    """One target: ``value`` against ``limit`` (at most), with the floor it was divided by."""

    name: str
    value: float
    limit: float
    unit: str
    ok: bool
    raw: float | None = None  # the measured figure before dividing by the floor
    floor: float | None = None


def check(
    name: str, value: float, limit: float, unit: str,
    *, raw: float | None = None, floor: float | None = None,
) -> Check:
    return Check(name, round(value, 4), limit, unit, bool(value <= limit), _round(raw),
                 _round(floor))


def ratio(value: float, floor: float) -> float:
    return value / floor if floor > 0 else float("inf")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def emit(bench: str, params: dict[str, Any], figures: dict[str, Any], checks: list[Check]) -> None:
    """The JSON document on stdout, the summary line on stderr."""
    document = {
        "bench": bench,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "system": platform.system(),
            "cpus": os.cpu_count(),
        },
        "params": params,
        "figures": {k: _round(v) if isinstance(v, float) else v for k, v in figures.items()},
        "checks": [asdict(c) for c in checks],
        "ok": all(c.ok for c in checks),
    }
    print(json.dumps(document, ensure_ascii=False))
    print(summary_line(document), file=sys.stderr)


def summary_line(document: dict[str, Any]) -> str:
    parts = [f"{c['name']}={c['value']:g}{c['unit']} (<= {c['limit']:g})"
             + ("" if c["ok"] else " MISSED") for c in document["checks"]]
    verdict = "ok" if document["ok"] else "MISSED"
    return f"{document['bench']} [{verdict}]: " + "; ".join(parts)


# --- secrets ----------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """A keyring for one bench run: never the developer's real keyring, never disk."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def memory_secrets() -> Any:
    from sync.credentials import SecretStore

    return SecretStore(MemoryKeyring())


# --- a seeded reference server ----------------------------------------------------

BODY_BYTES = 1500  # the complaint: about 1.5 KB of body


def lengthen_bodies(server: Any, body_bytes: int = BODY_BYTES, seed: int = 7) -> None:
    """Grow each seeded body to about ``body_bytes`` of plausible words, before any client syncs.

    ``server.seed`` writes short bodies; citizens write more (``bulk.BodyFiller``).
    """
    from sqlalchemy import select

    from bench.bulk import BodyFiller
    from server.db import Complaint

    filler = BodyFiller(random.Random(seed))
    with server.database.writing() as session:
        for row in session.scalars(select(Complaint)):
            data = dict(row.data)
            data["body"] = filler.grow(data["body"], data["category"]["id"], body_bytes)
            row.data = data


def attach_files(server: Any, count: int, size: int, seed: int = 11) -> int:
    """Attach ``count`` incompressible files of ``size`` bytes to the first complaints."""
    from sqlalchemy import insert, select

    from server.db import Attachment, Complaint
    from server.seed import DEMO_OFFICE
    from server.uploads import store_file

    rng = random.Random(seed)
    now = datetime.now(UTC)
    with server.database.writing() as session:
        rows = list(session.scalars(select(Complaint).order_by(Complaint.id).limit(count)))
        for number, row in enumerate(rows):
            data = rng.randbytes(size)
            upload = store_file(session, f"bench-att-{number}", DEMO_OFFICE, f"u-{OFFICER}",
                                f"foto_{number}.jpg", "image/jpeg", data, now)
            session.flush()
            session.execute(insert(Attachment), [{"upload_id": upload.id,
                                                  "complaint_id": row.id}])
            record = dict(row.data)
            record["attachments"] = [*record["attachments"], upload.meta()]
            row.data = record
    return len(rows)


@dataclass(frozen=True)
class ServedOffice:
    """A seeded server database (read and written by the bench) served by its own process."""

    url: str
    database: Any

    @property
    def api_url(self) -> str:
        from sync.protocol import API_PREFIX

        return self.url + API_PREFIX

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@contextmanager
def seeded_server(complaints: int, *, body_bytes: int = BODY_BYTES) -> Iterator[ServedOffice]:
    """The reference server on loopback, one office, ``complaints`` complaints, no rate limit.

    Seeded here, served by a child process (``bench/serve.py``), as a client
    meets a server in life: the server's work is not charged to the client.
    """
    from server.inprocess import start_server

    with start_server(offices=1, complaints=complaints) as seeded:
        lengthen_bodies(seeded, body_bytes)
        child = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("serve.py")),
             seeded.database.url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parents[1])
        assert child.stdin is not None and child.stdout is not None
        try:
            url = child.stdout.readline().strip()
            if not url:
                raise RuntimeError("the bench's server process did not start")
            yield ServedOffice(url, seeded.database)
        finally:
            child.stdin.close()
            child.wait(timeout=30)


def office_records(server: Any) -> list[dict[str, Any]]:
    """Every complaint record of the demo office as the server holds it (its wire JSON)."""
    from sqlalchemy import select

    from server.db import Complaint
    from server.seed import DEMO_OFFICE

    with server.database.reading() as session:
        return list(session.scalars(
            select(Complaint.data).where(Complaint.office_id == DEMO_OFFICE)
            .order_by(Complaint.id)))


def gzip_size(value: Any) -> int:
    """Bytes of ``value``'s compact JSON gzipped at the server's level (6)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return len(gzip.compress(text, compresslevel=6))


# --- a client profile -------------------------------------------------------------


def bench_network() -> Any:
    """The client's network options with short waits between retries (a bench, not a user)."""
    from sync.connection import NetworkOptions
    from sync.http.retry import Backoff

    return NetworkOptions(backoff=Backoff(base=0.05, cap=0.5), max_attempts=8)


def online_profile(directory: Path, url: str, username: str = OFFICER) -> Any:
    """A fresh profile logged in online as the demo office's ``username``."""
    from server.seed import demo_password
    from sync.workspace import Workspace

    workspace = Workspace.open(directory, url, secrets=memory_secrets(), kdf_n=BENCH_KDF)
    workspace.network = bench_network()
    workspace.login(username, demo_password(username))
    return workspace


def sync_ok(workspace: Any) -> Any:
    report = workspace.sync()
    if not report.ok:
        raise RuntimeError(f"the sync failed: {report.error_code}: {report.error_message}")
    return report
