"""Credentials for a `url:` source, found outside the source file.

Source files are committed, so anyone who can push to the repository writes them: a source may
name any host, and ask for any environment variable. So:

- `${NAME}` placeholders in the url are filled from the environment only for variables the
  operator allowed: names that start with `JOURNEYMAP_`, and those the credentials file lists
  under `allowed_variables:`.
- The credentials file (a YAML mapping kept outside the project, readable by its owner only)
  says, for each entry, the host, port and database it belongs to; an entry is used for that
  database only, whether a source names it (`credentials: name`) or not (the entry whose host,
  port and database are the url's):

      allowed_variables: [SHOP_DB_PASSWORD]   # ${SHOP_DB_PASSWORD} may be used in a url
      shop-warehouse:                         # the entry's name (any)
        host: db.example.com
        port: 5432
        database: shop
        user: analyst                         # used when the url names no user
        password: s3cret

- The url's query may not move the connection elsewhere (`?host=`, `?hostaddr=`, `?port=`,
  `?dbname=`, `?user=`, `?service=`, ...): the url as written is where the password goes.

Else no password is passed, and the database driver looks as it always does (for PostgreSQL:
PGPASSWORD, ~/.pgpass, or a trusted connection). The password never appears in a URL we build,
in a message, or in a report: `Resolved.label` is the url with it masked.
"""

from __future__ import annotations

import os
import stat
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .source_spec import PLACEHOLDER, Source

MASK = "***"
ALLOWED_PREFIX = "JOURNEYMAP_"
ALLOWED_KEY = "allowed_variables"
DEFAULT_PORTS = {
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "mssql": 1433,
    "oracle": 1521,
    "clickhouse": 9000,
    "trino": 8080,
    "snowflake": 443,
}
# Connection parameters that choose where a connection goes or who logs in (libpq's and their
# kin): in the url's query they would send the password to a place the url does not show.
_ELSEWHERE = frozenset(
    {
        "host",
        "hostaddr",
        "port",
        "user",
        "username",
        "dbname",
        "database",
        "db",
        "service",
        "servicefile",
        "passfile",
        "require_auth",
        "channel_binding",
        "gssencmode",
        "krbsrvname",
        "account",
    }
)


@dataclass(frozen=True)
class Resolved:
    url: str  # placeholders filled in, no password
    password: str | None
    label: str  # the url as written, password masked: for messages and reports
    origin: str | None  # where the password came from, for error messages

    def scrub(self, text: str) -> str:
        """`text` with the password masked wherever it occurs (a driver might echo it)."""
        return text.replace(self.password, MASK) if self.password else text


@dataclass
class _File:
    """The credentials file: its entries, and the variables it lets a url read."""

    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()


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


def _expand(text: str, allowed: frozenset[str], path: Path) -> str:
    def value(match: Any) -> str:
        name = match.group(1)
        if not name.startswith(ALLOWED_PREFIX) and name not in allowed:
            raise SourceError(
                f"source.url uses ${{{name}}}, which journeymap may not read: a source file "
                f"may read variables whose names start with {ALLOWED_PREFIX} (rename it, e.g. "
                f"${{{ALLOWED_PREFIX}{name}}}), or those the credentials file ({path}) lists "
                f"under `{ALLOWED_KEY}: [{name}]`"
            )
        if name not in os.environ:
            raise SourceError(
                f"source.url uses ${{{name}}}, which is not set: set the environment "
                f"variable {name} before running (e.g. `export {name}=...`), or put the "
                f"password in the credentials file ({path}) instead"
            )
        return os.environ[name]

    return PLACEHOLDER.sub(value, text)


def resolve(source: Source, project: Path) -> Resolved:
    """The url ready to connect, and its password from the environment or credentials file."""
    written = source.url or ""
    path = credentials_path()
    file = _read(path, project) if path.exists() else _File(path)
    parts = urllib.parse.urlsplit(written)
    _check_query(parts.query)
    password = _expand(parts.password, file.allowed, path) if parts.password else None
    at = parts.netloc.rsplit("@", 1)
    userinfo = at[0].split(":", 1)[0] if len(at) == 2 else ""
    netloc = f"{userinfo}@{at[-1]}" if userinfo else at[-1]
    bare = urllib.parse.urlsplit(
        _expand(urllib.parse.urlunsplit(parts._replace(netloc=netloc)), file.allowed, path)
    )
    _check_query(bare.query)  # a placeholder may not add what the url may not say
    try:
        place = _Place.of(bare)
    except ValueError:
        raise SourceError("source.url has a port that is not a number (write host:5432)") from None
    origin = "the url's placeholder" if password else None
    if password is None:
        found = _entry(source, place, file)
        if found is not None:
            name, entry = found
            password, origin = entry.get("password"), f"the entry '{name}' of {path}"
            if not bare.username and entry.get("user"):
                named = urllib.parse.quote(entry["user"], safe="")
                bare = bare._replace(netloc=f"{named}@{bare.netloc}")
    return Resolved(urllib.parse.urlunsplit(bare), password, redact(written), origin)


def _check_query(query: str) -> None:
    for name, _ in urllib.parse.parse_qsl(query, keep_blank_values=True):
        if name.lower() in _ELSEWHERE:
            raise SourceError(
                f"source.url: `?{name}=` is not allowed in a url: it would send the connection "
                "(and its password) somewhere other than the url's host, port and database; "
                "write those in the url itself"
            )


@dataclass(frozen=True)
class _Place:
    """Where a connection goes: host (lower case), port (the scheme's default when the url
    names none), and database (the path's first part)."""

    host: str
    port: int | None
    database: str

    @classmethod
    def of(cls, parts: urllib.parse.SplitResult) -> _Place:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
        database = urllib.parse.unquote(parts.path.lstrip("/").split("/", 1)[0])
        return cls((parts.hostname or "").lower(), port, database)

    def __str__(self) -> str:
        return f"{self.host}:{self.port if self.port is not None else '?'}/{self.database}"


def _entry(source: Source, place: _Place, file: _File) -> tuple[str, dict[str, str]] | None:
    """The entry for the url's place: the one the source names, which must be for that
    place; else the one whose host, port and database are the url's."""
    if source.credentials:
        if not file.path.exists():
            raise SourceError(
                f"source.credentials names '{source.credentials}', but there is no "
                f"credentials file at {file.path}: create it (chmod 600) with an entry "
                f"'{source.credentials}: {{host: ..., port: ..., database: ..., password: "
                "...}', or set JOURNEYMAP_CREDENTIALS"
            )
        entry = file.entries.get(source.credentials)
        if entry is None:
            known = ", ".join(sorted(file.entries)) or "none"
            raise SourceError(
                f"source.credentials names '{source.credentials}', which {file.path} lacks "
                f"(its entries: {known}); add it, or fix the name"
            )
        owner = _owner(source.credentials, entry, file.path)
        if owner != place:
            raise SourceError(
                f"source.credentials: the entry '{source.credentials}' of {file.path} is for "
                f"{owner}, but source.url points at {place}; its password goes to {owner} "
                "only: fix source.url, or use (or add) an entry for that database"
            )
        return source.credentials, entry
    for name, entry in file.entries.items():
        if name in (place.host, f"{place.host}:{place.port}") and "host" not in entry:
            _owner(name, entry, file.path)  # an entry of the old form: say what it needs
        if _fields(entry) and _owner(name, entry, file.path) == place:
            return name, entry
    return None


def _fields(entry: dict[str, str]) -> bool:
    return any(k in entry for k in ("host", "port", "database"))


def _owner(name: str, entry: dict[str, str], path: Path) -> _Place:
    """The place an entry says it is for, or a SourceError saying what it lacks."""
    missing = [k for k in ("host", "port", "database") if not entry.get(k)]
    if missing:
        raise SourceError(
            f"the entry '{name}' of {path} does not say the {', '.join(missing)} it is for: "
            "each entry names the host, port and database its password belongs to (e.g. "
            f"`{name}: {{host: db.example.com, port: 5432, database: shop, password: ...}}`)"
        )
    try:
        port = int(entry["port"])
    except ValueError:
        raise SourceError(f"the entry '{name}' of {path} has a port that is not a number") from None
    return _Place(entry["host"].lower(), port, entry["database"])


def _project_root(folder: Path) -> Path:
    """The nearest folder above `folder` with a .git (short of the home folder), else it."""
    home = Path.home().resolve()
    for candidate in (folder, *folder.parents):
        if candidate == home:
            break
        if (candidate / ".git").exists():
            return candidate
    return folder


def _read(path: Path, project: Path) -> _File:
    """The credentials file, refusing a file others may read or one in the project (where it
    could be committed beside the source definition)."""
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
        return _File(path)
    allowed = data.pop(ALLOWED_KEY, []) if isinstance(data, dict) else []
    ok = (
        isinstance(data, dict)
        and all(
            isinstance(v, dict) and all(isinstance(x, str | int) for x in v.values())
            for v in data.values()
        )
        and isinstance(allowed, list)
        and all(isinstance(a, str) for a in allowed)
    )
    if not ok:
        raise SourceError(
            f"the credentials file {path} should map each entry's name to `{{host: ..., "
            f"port: ..., database: ..., user: ..., password: ...}}`, and `{ALLOWED_KEY}:` "
            "to a list of variable names"
        )
    entries = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}
    return _File(path, entries, frozenset(allowed))
