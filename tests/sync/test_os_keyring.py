"""The product meets a real OS keyring (SecretService via gnome-keyring on D-Bus).

Unit tests use an in-memory keyring; this one proves that on a desktop with
a keyring the database key lands there, and a profile reopens with no login.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
import keyring
from sync import accounts, protocol
from sync.credentials import SERVICE, SecretStore
from sync.workspace import Workspace

backend = keyring.get_keyring()
profile = sys.argv[1]
ws = Workspace.open(profile, "", kdf_n=2**10)
user = {"id": "u-ani", "username": "ani", "full_name": "Ani", "role": "officer",
        "office_id": "kantor-demo", "active": True}
# Once a user is cached, a profile without a keyring would open locked.
ws.remember_user(protocol.User.model_validate(user), "ani-rahasia-1")
key_name = accounts.db_key_name(ws.profile)
ws.close()
again = Workspace.open(profile, "", kdf_n=2**10)
print(json.dumps({
    "backend": type(backend).__module__ + "." + type(backend).__name__,
    "available": SecretStore().available,
    "reopened_locked": again.locked,
    "key": keyring.get_password(SERVICE, key_name),
}))
again.close()
"""


@pytest.mark.oskeyring
def test_database_key_lives_in_the_os_keyring_and_reopens_without_login(tmp_path: Path) -> None:
    missing = [t for t in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(t)]
    if missing:
        pytest.skip(f"no OS keyring here ({', '.join(missing)} missing); .ci/run installs them")
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT, encoding="utf-8")
    profile = tmp_path / "profile"
    shell = (
        "printf keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        f' && "{sys.executable}" "{script}" "{profile}"'
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["backend"] == "keyring.backends.SecretService.Keyring"
    assert result["available"] is True
    # The key came back from the keyring: nobody had to type a password.
    assert result["reopened_locked"] is False
    # And the profile folder holds no copy of it in the clear, in any encoding.
    key = base64.b64decode(result["key"])
    forms = [key, key.hex().encode(), result["key"].encode()]
    for path in profile.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(form in data for form in forms), path
