"""GET /agencies (docs/API-NOTES.md): served, kept for offline use, absent on old servers."""

from __future__ import annotations

from pathlib import Path

from server.inprocess import RunningServer
from sync.workspace import Workspace
from tests.helpers.replica import FAST_KDF
from tests.helpers.scripted_http import ScriptedServer, error
from tests.integration import peers
from tests.integration.peers import OFFICER


def test_the_list_is_fetched_kept_for_offline_and_a_server_without_it_is_no_error(
    tmp_path: Path, server: RunningServer
) -> None:
    ws = peers.office_pc(tmp_path / "office", server.url)
    assert ws.agencies() == []  # nothing kept before the first fetch
    fetched = ws.refresh_agencies()
    names = [a.name for a in fetched]
    assert "Dinas Kesehatan" in names and names == sorted(names, key=str.casefold)
    assert ws.agencies() == fetched  # kept: offered offline from now on
    ws.close()

    # The same office on a server from before the list: 404, and the kept list stays.
    with ScriptedServer() as old:
        old.default = error(404, "not_found")
        again = Workspace.open(tmp_path / "office", old.url, kdf_n=FAST_KDF)
        try:
            again.network = peers.FAST
            again.login_offline(OFFICER, peers.password(OFFICER))
            assert again.refresh_agencies() == fetched
            assert [seen.path for seen in old.seen] == ["/api/v1/agencies"]
        finally:
            again.close()
