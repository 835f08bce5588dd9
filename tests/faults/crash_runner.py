"""A sync worker to be killed: ``python -m tests.faults.crash_runner``.

It reads one JSON line (the profile folder, the secrets of the test's
in-memory keyring) and then forks, for every ``go`` line, a child that opens
the profile and syncs in a loop until it is killed; it prints each child's
pid, and ``reap PID`` waits for a killed child to be gone. Each cycle's
start, steps (push, pull, files) and end go to stderr, so the test can tell
where each kill landed.
Forking from this thread-free process, with every import done once, keeps
each restart to milliseconds, so a test can kill dozens of syncs at random
moments. Secrets travel by the pipe, never by a file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend

import sync.cycle.run  # noqa: F401 - imported before forking, once
from sync.connection import NetworkOptions
from sync.credentials import SecretStore
from sync.http.retry import Backoff
from sync.workspace import Workspace

OPTIONS = NetworkOptions(max_attempts=3, backoff=Backoff(base=0.01, cap=0.05), stall_timeout=2.0)


class PipeKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__()
        self.secrets = secrets

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop(username, None)


def sync_forever(config: dict[str, Any]) -> None:
    secrets = SecretStore(PipeKeyring(dict(config["secrets"])))
    workspace = Workspace.open(Path(config["profile"]), secrets=secrets)
    workspace.network = OPTIONS
    # The officer's session, as the GUI's worker would have it.
    from sync.cycle.run import SyncCycle

    account = workspace.profile.accounts[config["user"]]
    pid = os.getpid()

    def step(done: int, total: int, text: str = "") -> None:
        print(pid, "step", text.split(" ", 1)[0], file=sys.stderr, flush=True)

    while True:
        print(pid, "start", file=sys.stderr, flush=True)
        SyncCycle(workspace.database, workspace.profile, secrets, workspace.rules, account,
                  options=OPTIONS, progress=step).run()
        print(pid, "end", file=sys.stderr, flush=True)


def main() -> None:
    config = json.loads(sys.stdin.readline())
    keyring.set_keyring(PipeKeyring({}))
    for line in sys.stdin:
        command = line.split()
        if command == ["go"]:
            pid = os.fork()
            if pid == 0:
                try:
                    sync_forever(config)
                finally:
                    os._exit(1)
            print(pid, flush=True)
        elif command[:1] == ["reap"]:  # the test killed it: wait until it is gone
            os.waitpid(int(command[1]), 0)
            print("reaped", flush=True)
        else:
            break

if __name__ == "__main__":
    main()
