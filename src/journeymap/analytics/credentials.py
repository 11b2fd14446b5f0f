"""Credentials for a `url:` source, found outside the source file.

In order: `${NAME}` placeholders in the url, filled from the environment; then the credentials
file, a YAML mapping kept outside the project and readable by its owner only:

    db.example.com:          # a host (or host:port), or a name a source gives as `credentials:`
      user: analyst          # used when the url names no user
      password: s3cret

Else no password is passed, and the database driver looks as it always does (for PostgreSQL:
PGPASSWORD, ~/.pgpass, or a trusted connection). The password never appears in a URL we build,
in a message, or in a report: `Resolved.label` is the url with it masked.
"""

from __future__ import annotations

import os
import stat
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError
from .source_spec import PLACEHOLDER, Source

MASK = "***"


@dataclass(frozen=True)
class Resolved:
    url: str  # placeholders filled in, no password
    password: str | None
    label: str  # the url as written, password masked: for messages and reports
    origin: str | None  # where the password came from, for error messages

    def scrub(self, text: str) -> str:
        """`text` with the password masked wherever it occurs (a driver might echo it)."""
        return text.replace(self.password, MASK) if self.password else text


def credentials_path() -> Path:
    """$JOURNEYMAP_CREDENTIALS, else credentials.yaml in the user's journeymap config folder."""
    configured = os.environ.get("JOURNEYMAP_CREDENTIALS")
    if configured:
        return Path(configured).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "journeymap" / "credentials.yaml"


def redact(url: str) -> str:
    """`url` with any password replaced by *** (a `${NAME}` placeholder is kept: it tells
    where the password comes from, and is no secret)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None or PLACEHOLDER.fullmatch(parts.password):
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{host}"))


def _expand(text: str, what: str) -> str:
    def value(match: Any) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise SourceError(
                f"source.{what} uses ${{{name}}}, which is not set: set the environment "
                f"variable {name} before running (e.g. `export {name}=...`), or put the "
                f"password in the credentials file ({credentials_path()}) instead"
            )
        return os.environ[name]

    return PLACEHOLDER.sub(value, text)


def resolve(source: Source, project: Path) -> Resolved:
    """The url ready to connect, and its password from the environment or credentials file."""
    written = source.url or ""
    parts = urllib.parse.urlsplit(written)
    password = _expand(parts.password, "url") if parts.password else None
    at = parts.netloc.rsplit("@", 1)
    userinfo = at[0].split(":", 1)[0] if len(at) == 2 else ""
    netloc = f"{userinfo}@{at[-1]}" if userinfo else at[-1]
    bare = urllib.parse.urlsplit(
        _expand(urllib.parse.urlunsplit(parts._replace(netloc=netloc)), "url")
    )
    try:
        host, port, user = bare.hostname or "", bare.port, bare.username
    except ValueError:
        raise SourceError("source.url has a port that is not a number (write host:5432)") from None
    origin = "the url's placeholder" if password else None
    if password is None:
        entry, origin = _entry(source, host, port, project)
        if entry is not None:
            password = entry.get("password")
            if not user and entry.get("user"):
                named = urllib.parse.quote(entry["user"], safe="")
                bare = bare._replace(netloc=f"{named}@{bare.netloc}")
    return Resolved(urllib.parse.urlunsplit(bare), password, redact(written), origin)


def _entry(
    source: Source, host: str, port: int | None, project: Path
) -> tuple[dict[str, str] | None, str | None]:
    path = credentials_path()
    if not path.exists():
        if source.credentials:
            raise SourceError(
                f"source.credentials names '{source.credentials}', but there is no "
                f"credentials file at {path}: create it (chmod 600) with an entry "
                f"'{source.credentials}: {{password: ...}}', or set JOURNEYMAP_CREDENTIALS"
            )
        return None, None
    entries = _read(path, project)
    keys = [source.credentials] if source.credentials else [f"{host}:{port}", host]
    for key in keys:
        if key in entries:
            return entries[key], f"the entry '{key}' of {path}"
    if source.credentials:
        known = ", ".join(sorted(entries)) or "none"
        raise SourceError(
            f"source.credentials names '{source.credentials}', which {path} lacks "
            f"(its entries: {known}); add it, or fix the name"
        )
    return None, None


def _project_root(folder: Path) -> Path:
    """The nearest folder above `folder` with a .git (short of the home folder), else it."""
    home = Path.home().resolve()
    for candidate in (folder, *folder.parents):
        if candidate == home:
            break
        if (candidate / ".git").exists():
            return candidate
    return folder


def _read(path: Path, project: Path) -> dict[str, dict[str, str]]:
    """The credentials file's entries, refusing a file others may read or one in the project
    (where it could be committed beside the source definition)."""
    real = path.resolve()
    root = _project_root(project.resolve())
    if real.is_relative_to(root):
        raise SourceError(
            f"the credentials file {path} is inside the project ({root}), where it could be "
            "committed: move it out, e.g. to ~/.config/journeymap/credentials.yaml, or point "
            "JOURNEYMAP_CREDENTIALS at a file elsewhere"
        )
    if os.name == "posix" and real.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SourceError(
            f"the credentials file {path} can be read by other users; make it yours alone: "
            f"chmod 600 {path}"
        )
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(real.read_text(encoding="utf-8"))
    except YAMLError as error:
        # The parser's message quotes the line, which may hold a password: give the line only.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourceError(f"the credentials file {path} is not valid YAML{where}") from None
    if data is None:
        return {}
    ok = isinstance(data, dict) and all(
        isinstance(v, dict) and all(isinstance(x, str | int) for x in v.values())
        for v in data.values()
    )
    if not ok:
        raise SourceError(
            f"the credentials file {path} should map each host or name to "
            "`{user: ..., password: ...}`"
        )
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}
