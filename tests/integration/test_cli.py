"""``lapor-desk sync --profile DIR``: exit codes and the outbox across runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.inprocess import RunningServer
from sync import cli
from sync.values import OutboxState
from tests.integration import peers
from tests.integration.peers import FAST, OFFICER, SUPERVISOR


def test_a_headless_run_syncs_and_exits_0(
    tmp_path: Path, server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, SUPERVISOR)
    peers.log_in(workspace, OFFICER)
    complaint_id = peers.open_complaints(server)[0]
    assert workspace.sync().ok
    draft = workspace.draft_reply(complaint_id, "Dikirim oleh tugas terjadwal")
    workspace.submit_for_approval(draft)
    workspace.approve(draft, SUPERVISOR, peers.password(SUPERVISOR))
    workspace.close()

    assert cli.run_sync(tmp_path / "p", options=FAST) == cli.EXIT_SYNCED
    assert "applied=1" in capsys.readouterr().out
    assert peers.events_with_text(server, "Dikirim oleh tugas terjadwal") == 1


def test_an_unreachable_server_exits_2_and_keeps_the_outbox(
    tmp_path: Path, server: RunningServer
) -> None:
    workspace = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(workspace, OFFICER)
    assert workspace.sync().ok
    note = workspace.draft_reply(peers.open_complaints(server)[0], "Catatan", kind="note")
    workspace.submit_for_approval(note)
    workspace.close()
    peers.open_profile(tmp_path / "p", "http://127.0.0.1:9").close()  # the server moved away

    assert cli.run_sync(tmp_path / "p", options=FAST) == cli.EXIT_OFFLINE

    again = peers.open_profile(tmp_path / "p", server.url)
    peers.log_in(again, OFFICER)
    assert [entry.state for entry in again.outbox()] == [OutboxState.PENDING]
    again.close()


def test_no_profile_or_no_login_exits_1(tmp_path: Path, server: RunningServer) -> None:
    assert cli.main(["--profile", str(tmp_path / "nothing")]) == cli.EXIT_ERROR
    peers.open_profile(tmp_path / "fresh", server.url).close()
    assert cli.run_sync(tmp_path / "fresh", options=FAST) == cli.EXIT_ERROR


def test_the_desktop_command_runs_the_headless_sync_without_qt(tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from desktop.app import main\n"
        f"code = main(['sync', '--profile', {str(tmp_path / 'nothing')!r}])\n"
        "print(code, any(name.startswith('PySide6') for name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split() == [str(cli.EXIT_ERROR), "False"]
    assert "tidak ada profil" in done.stderr
