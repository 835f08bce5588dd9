"""Every benchmark still runs at its smallest size and prints its JSON; nothing is timed.

The benches (bench/, issue #7) are run by hand and by the benchmark job; this
only keeps them from rotting: each one, as a script with ``--small``, must
exit 0 and print one JSON document with its figures and checks. The figures
themselves are never asserted: these machines are too noisy for that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
NAMES = ("offline_actions", "gui_inbox", "sync_initial", "sync_unchanged", "upstream_poll",
         "sync_bad_link", "growth", "server_load", "similar")
Done = subprocess.CompletedProcess[str]
CHECK_KEYS = {"name", "value", "limit", "unit", "ok", "raw", "floor"}


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
                PYTHONDONTWRITEBYTECODE="1")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Done]:
    """All benches at once (they are mostly waiting on fsync and sockets), then their output."""
    root = tmp_path_factory.mktemp("bench")
    running = {
        name: subprocess.Popen(
            [sys.executable, str(BENCH / f"{name}.py"), "--small", "--workdir", str(root / name)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(root), cwd=root,
        )
        for name in NAMES
    }
    done = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=240)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


@pytest.mark.parametrize("name", NAMES)
def test_bench_prints_its_figures_and_checks(
    name: str, results: dict[str, Done]
) -> None:
    run = results[name]
    assert run.returncode == 0, run.stderr[-3000:]
    document = json.loads(run.stdout.strip().splitlines()[-1])
    assert document["bench"] == name
    assert {"date", "host", "params", "figures", "checks", "ok"} <= document.keys()
    assert document["figures"], "a bench with no figures measured nothing"
    assert document["checks"]
    for check in document["checks"]:
        assert check.keys() >= CHECK_KEYS
        assert isinstance(check["ok"], bool)
    summary = run.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{name} [")


def test_run_all_prints_one_table_row_per_check(tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    run = subprocess.run(
        [sys.executable, str(BENCH / "run_all"), "--small", "--only", "sync_unchanged",
         "--json", str(out)],
        capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    documents = json.loads(out.read_text())
    rows = run.stdout.strip().splitlines()
    assert rows[0].split()[:2] == ["bench", "check"]
    assert len(rows) == 2 + sum(len(d["checks"]) for d in documents)


def test_a_bulk_filled_replica_is_searchable_like_a_synced_one(tmp_path: Path) -> None:
    """The GUI bench's bulk loader builds the search index as the sync does, in two batches."""
    from bench.bulk import fill_replica, synthetic_records
    from sync.deadlines import Rules
    from tests.helpers.replica import found, new_replica

    engine = new_replica(tmp_path / "r.db")
    records = list(synthetic_records(30, body_bytes=300))
    fill_replica(engine, records, Rules.load(), batch=20)
    word = records[-1]["title"].split()[0]
    expected = {r["id"] for r in records if word.lower() in (
        r["title"] + " " + r["body"] + " " + " ".join(e.get("text") or "" for e in r["events"])
    ).lower().split()}
    assert expected and set(found(engine, word)) >= expected
    engine.dispose()
