"""Where the server keeps its data, and its secret: chosen once, from flags and environment.

- The database: `--db PATH` (a SQLite file) or `--db URL`, else `$JOURNEYMAP_DATABASE_URL`, else
  `journeymap.db` in the data folder.
- The data folder: `$JOURNEYMAP_DATA`, else `$XDG_DATA_HOME/journeymap`, else
  `~/.local/share/journeymap`.
- The public URL (`--public-url`, else `$JOURNEYMAP_PUBLIC_URL`): where people open the server,
  behind a proxy; the live socket's Origin check compares with it.
- The secret (signs CSRF tokens): `$JOURNEYMAP_SECRET`, else `secret.key` in the data folder,
  made on first start with 32 random bytes and readable by its owner only.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

SECRET_FILE = "secret.key"


def data_folder() -> Path:
    configured = os.environ.get("JOURNEYMAP_DATA")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "journeymap"


@dataclass(frozen=True)
class Settings:
    database: str  # a SQLite file path or a database URL
    data: Path
    secret: bytes
    secure_cookies: bool = True  # False only for plain-HTTP development on localhost
    # The address people open the server at, e.g. https://maps.example.com behind a proxy: a
    # session-signed live socket must come from a page of this origin. None: the request's own
    # scheme and Host.
    public_url: str | None = None
    # `serve --sources-dir`: the only folder workspace data sources may read files from (None:
    # file sources are refused). See services/source_rules.py.
    sources_dir: Path | None = None


def load_settings(db: str | None = None, data: Path | None = None) -> Settings:
    folder = data or data_folder()
    database = db or os.environ.get("JOURNEYMAP_DATABASE_URL") or str(folder / "journeymap.db")
    public = os.environ.get("JOURNEYMAP_PUBLIC_URL") or None
    return Settings(database=database, data=folder, secret=_secret(folder), public_url=public)


def _secret(folder: Path) -> bytes:
    configured = os.environ.get("JOURNEYMAP_SECRET")
    if configured:
        if len(configured) < 32:
            raise ValueError("JOURNEYMAP_SECRET must be at least 32 characters long")
        return configured.encode()
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Made owner-only from the start (no window in which others could read it).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} can be read by other users; run: chmod 600 {path}")
    return path.read_text().strip().encode()
