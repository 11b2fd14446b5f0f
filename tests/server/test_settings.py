"""Server settings: the database and data folder chosen from flags and environment, and a
secret made once, readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from journeymap.server.settings import load_settings


def test_defaults_live_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOURNEYMAP_DATABASE_URL", raising=False)
    monkeypatch.delenv("JOURNEYMAP_SECRET", raising=False)
    monkeypatch.setenv("JOURNEYMAP_DATA", str(tmp_path / "data"))
    first = load_settings()
    assert first.database == str(tmp_path / "data" / "journeymap.db")
    key = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(first.secret) == 64
    assert load_settings().secret == first.secret  # made once, then kept
    monkeypatch.setenv("JOURNEYMAP_DATABASE_URL", "postgresql://app@db/journeys")
    assert load_settings().database == "postgresql://app@db/journeys"
    assert load_settings(db="team.db").database == "team.db"  # the flag wins


def test_a_secret_others_can_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNEYMAP_SECRET", raising=False)
    load_settings(data=tmp_path)
    (tmp_path / "secret.key").chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_settings(data=tmp_path)
    monkeypatch.setenv("JOURNEYMAP_SECRET", "short")
    with pytest.raises(ValueError, match="at least 32"):
        load_settings(data=tmp_path)
    monkeypatch.setenv("JOURNEYMAP_SECRET", "s" * 40)
    assert load_settings(data=tmp_path).secret == b"s" * 40
