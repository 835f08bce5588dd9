"""Upstream profiles: the shipped one and the example load; a bad one names its key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.upstream.profile import SHIPPED, ProfileError, load_profile


def test_the_shipped_profile_marks_its_guesses() -> None:
    profile = load_profile("lapor-v3")
    # What no public code shows is marked; what calling code shows is not.
    assert {"routes.list", "fields.complaint.title", "upstream.timezone"} <= profile.guessed
    assert "fields.complaint.status" not in profile.guessed
    assert "routes.detail" not in profile.guessed
    assert profile.doc.upstream.base_url == "https://api-splp.layanan.go.id/lapor/3.0.0"


def test_the_deployment_example_loads() -> None:
    profile = load_profile(SHIPPED / "deployment.example.toml")
    assert profile.institutions == {"kantor-demo": 101, "kantor-lain": 102}
    assert profile.user_id_for("someone") == 9001
    assert "sandbox" in profile.doc.upstream.base_url


def _deployment(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text('extends = "lapor-v3"\n' + body, encoding="utf-8")
    return path


def test_a_deployment_corrects_one_field_and_keeps_the_rest(tmp_path: Path) -> None:
    path = _deployment(tmp_path, '[fields.complaint]\ntitle = { path = "subject" }\n'
                                 "[routes.list]\nenabled = false\n")
    profile = load_profile(path)
    assert profile.doc.fields.complaint["title"].path == "subject"
    assert "fields.complaint.title" not in profile.guessed  # corrected from the documents
    assert profile.doc.fields.complaint["body"].path == "content"
    assert profile.doc.routes.list.enabled is False
    assert profile.doc.routes.list.path == "/complaints"  # the rest of the table stays


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('[upstream]\ntimezone = "Asia/Nowhere"\n', "upstream.timezone"),
        ('[maps]\nstatus = { "Selesai" = "done" }\n', "maps.status"),
        ("[poll]\ninterval_s = -1\n", "poll.interval_s"),
        ('[offices]\n"kantor-demo" = "101"\n', "offices.kantor-demo"),
        ("[fields.complaint]\ntitle = 3\n", "fields.complaint.title"),
        ("[upstream\n", "not valid TOML"),
    ],
)
def test_a_bad_profile_names_its_key(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(ProfileError, match=words.replace(".", r"\.")):
        load_profile(_deployment(tmp_path, body))


def test_credentials_come_from_a_private_file_or_the_environment(tmp_path: Path) -> None:
    secrets = tmp_path / "upstream.env"
    secrets.write_text("LAPOR_UPSTREAM_AUTHORIZATION=Bearer abc\nLAPOR_UPSTREAM_TOKEN=xyz\n")
    secrets.chmod(0o644)
    path = _deployment(tmp_path, "")
    path.write_text(path.read_text() + f'credentials_file = "{secrets}"\n')
    if os.name == "posix":
        with pytest.raises(ProfileError, match="chmod 600"):
            load_profile(path)
    secrets.chmod(0o600)
    credentials = load_profile(path).credentials({})
    assert (credentials.authorization, credentials.token) == ("Bearer abc", "xyz")
    assert "abc" not in repr(credentials) and "xyz" not in str(credentials)
    with pytest.raises(ProfileError, match="LAPOR_UPSTREAM_TOKEN"):
        load_profile(_deployment(tmp_path, "")).credentials({"LAPOR_UPSTREAM_AUTHORIZATION": "a"})
