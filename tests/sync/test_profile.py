"""profile.json: accounts are values, every change is one locked change-and-save."""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sync import accounts
from sync.credentials import make_verifier
from sync.errors import ErrorCode, WorkspaceError
from sync.store.profile import PROFILE_FILE, Account, Profile, ProfileState

FAST = 2**10
NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
ROUNDS = 40  # each a write with two fsyncs: enough to interleave, quick on any disk


def account(username: str, **fields: Any) -> Account:
    values: dict[str, Any] = {
        "user_id": f"u-{username}",
        "username": username,
        "full_name": username.title(),
        "role": "supervisor",
        "office_id": "office-1",
        "verifier": {"n": 1},
        "wrapped_db_key": {"n": 1},
    }
    values.update(fields)
    return Account(**values)


def put(profile: Profile, account: Account) -> None:
    """Cache ``account`` under its username, as a login does (``sync.accounts``)."""

    def keep(state: ProfileState) -> None:
        state.accounts[account.username] = account

    profile.update(keep)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    created = Profile.load_or_create(tmp_path / "p", "https://lapor.example.id")
    put(created, account("ani", role="officer"))
    put(created, account("siti", signing_public_key="pk-siti"))
    return created


def on_disk(profile: Profile) -> dict[str, Any]:
    return dict(json.loads((profile.directory / PROFILE_FILE).read_text(encoding="utf-8")))


def test_profile_metadata_is_written_atomically(tmp_path: Path) -> None:
    profile = Profile.load_or_create(tmp_path / "p", "https://lapor.example.id")
    again = Profile.load_or_create(tmp_path / "p", "")
    assert (again.profile_id, again.device_id, again.server_url) == (
        profile.profile_id, profile.device_id, "https://lapor.example.id")
    profile.set_server_url("https://lapor.example.go.id")
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["profile.json"]  # no temp left
    assert Profile.load_or_create(tmp_path / "p", "").server_url == "https://lapor.example.go.id"


def test_an_account_cannot_be_changed_in_place(profile: Profile) -> None:
    ani = profile.accounts["ani"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ani.failed_logins = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        profile.accounts["ani"] = replace(ani, failed_logins=3)  # type: ignore[index]
    snapshot = profile.accounts
    profile.update_account("ani", lambda a: replace(a, failed_logins=3))
    assert snapshot["ani"].failed_logins == 0  # a reader's snapshot stays as it was
    assert profile.accounts["ani"].failed_logins == 3
    assert on_disk(profile)["accounts"]["ani"]["failed_logins"] == 3


def test_two_threads_changing_the_profile_lose_nothing(profile: Profile) -> None:
    # The GUI thread counts failed logins while the task runner's sync caches
    # users, registers keys and moves the device id: each one's last word must
    # be on disk, none written over by the other's older copy.
    start = threading.Barrier(2)
    devices: list[str] = []
    errors: list[BaseException] = []

    def count_failures() -> None:
        start.wait()
        for _ in range(ROUNDS):
            profile.update_account("ani", lambda a: replace(a, failed_logins=a.failed_logins + 1))

    def sync_worker() -> None:
        start.wait()
        for turn in range(ROUNDS):
            put(profile, account(f"new{turn}"))
            if turn % 4 == 0:
                devices.append(profile.move_to_new_device())
            profile.update_account("siti", lambda a: replace(a, signing_key_registered=True))

    def run(work: Any) -> None:
        try:
            work()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in (count_failures, sync_worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    reloaded = Profile.load_or_create(profile.directory, "")
    assert reloaded.accounts["ani"].failed_logins == ROUNDS
    assert {f"new{turn}" for turn in range(ROUNDS)} <= set(reloaded.accounts)
    assert reloaded.device_id == devices[-1]
    assert reloaded.accounts["siti"].signing_key_registered
    assert reloaded.accounts == profile.accounts


def test_a_failed_login_keeps_a_registration_made_while_its_password_was_checked(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(profile, account("siti", verifier=make_verifier("benar", n=FAST),
                         signing_public_key="pk-siti"))

    def slow_check(verifier: dict[str, Any], password: str) -> bool:
        # Meanwhile the sync registers siti's key (what the worker thread does).
        profile.update_account("siti", lambda a: replace(a, signing_key_registered=True))
        return False

    monkeypatch.setattr(accounts, "check_verifier", slow_check)
    with pytest.raises(WorkspaceError) as raised:
        accounts.authenticate(profile, "siti", "salah", NOW)
    assert raised.value.code == ErrorCode.INVALID_CREDENTIALS
    saved = on_disk(profile)["accounts"]["siti"]
    assert (saved["failed_logins"], saved["signing_key_registered"]) == (1, True)


def test_a_change_that_fails_keeps_nothing_and_an_unchanged_one_writes_nothing(
    profile: Profile,
) -> None:
    before, inode = on_disk(profile), (profile.directory / PROFILE_FILE).stat().st_ino

    def half_then_fail(state: ProfileState) -> None:
        state.device_id = "half"
        raise ValueError("no")

    with pytest.raises(ValueError):
        profile.update(half_then_fail)
    assert profile.device_id != "half" and on_disk(profile) == before
    profile.update_account("ani", lambda a: a)  # as it was: the file is not rewritten
    assert (profile.directory / PROFILE_FILE).stat().st_ino == inode

    def nested(state: ProfileState) -> None:
        profile.set_server_url("https://other")  # would be written over by the outer change

    with pytest.raises(RuntimeError):
        profile.update(nested)
    assert on_disk(profile) == before


def test_a_profile_an_earlier_version_wrote_loads_and_is_written_back_alike(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    written = {
        "format": 1,
        "profile_id": "p-1",
        "device_id": "d-1",
        "server_url": "https://lapor.example.id",
        "accounts": {"siti": dataclasses.asdict(account(
            "siti", wrapped_signing_key={"n": 2}, signing_public_key="pk",
            signing_key_registered=True, failed_logins=2, locked_until="2024-03-04T09:05:00Z",
        ))},
    }
    (folder / PROFILE_FILE).write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")
    profile = Profile.load_or_create(folder, "")
    assert profile.accounts["siti"].locked_until == "2024-03-04T09:05:00Z"
    profile.update_account("siti", lambda a: replace(a, failed_logins=3))
    written["accounts"]["siti"]["failed_logins"] = 3  # type: ignore[index]
    assert on_disk(profile) == written
