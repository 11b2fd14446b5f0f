"""What a workspace data source may point at, decided by the server's operator, not the browser.

- A file source is a path RELATIVE to the folder the operator gave (`journeymap serve
  --sources-dir DIR`): an absolute path, a `..` part, and a symbolic link resolving outside the
  folder are refused, and so is anything inside the server's own data folder (its database,
  secret and caches), even when the sources folder holds it. No folder configured: no files.
- A database source is a url with no password (nor `${NAME}` placeholder: the browser may not
  choose which of the server's variables to read). The password comes from the server's side
  only: `JOURNEYMAP_SOURCE_<NAME>_PASSWORD` (sent only to the host, port and database of
  `JOURNEYMAP_SOURCE_<NAME>_URL`), or the operator's credentials file (whose entries name
  their database). Spark urls are not taken from the browser.

Every refusal is an `Invalid` naming the field; no message repeats what was sent as a password.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from ..analytics.credentials import _Place
from ..analytics.errors import SourceError
from ..analytics.feedback_spec import FeedbackSpec
from ..analytics.source_spec import PLACEHOLDER, SourceSpec, check_url
from .errors import Invalid, invalid_field

ENABLE = (
    "the server reads files only from the folder its operator names: start it with "
    "`journeymap serve --sources-dir DIR` (or $JOURNEYMAP_SOURCES_DIR) and put the files there"
)


@dataclass(frozen=True)
class SourceFolders:
    """The operator's choices a source is checked against."""

    root: Path | None  # --sources-dir; None: no file sources
    data: Path  # the server's data folder: never readable as a source


def env_name(name: str) -> str:
    """The variable part for a source's name: `shop-db` -> `SHOP_DB`."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")


def password_variable(name: str) -> str:
    return f"JOURNEYMAP_SOURCE_{env_name(name)}_PASSWORD"


def place_variable(name: str) -> str:
    return f"JOURNEYMAP_SOURCE_{env_name(name)}_URL"


def checked_definition(kind: str, definition: dict[str, Any], folders: SourceFolders) -> Any:
    """The definition as its model (SourceSpec or FeedbackSpec), every file in the sources
    folder and every url without a secret; else Invalid naming the first wrong field."""
    model: type[BaseModel] = SourceSpec if kind == "events" else FeedbackSpec
    _no_password(definition)
    try:
        spec = model.model_validate(definition)
    except ValidationError as error:
        found = error.errors()
        said = [
            {
                "field": ".".join(str(p) for p in ("definition", *e["loc"])),
                "message": e["msg"].removeprefix("Value error, "),
            }
            for e in found[:5]
        ]
        words = "; ".join(f"{s['field']}: {s['message']}" for s in said)
        raise Invalid(
            f"{words}: write the definition as the CLI's {kind} source file says it "
            "(docs/analytics.md, docs/feedback.md)",
            title="Invalid data source",
            errors=said,
        ) from None
    for field, path in _paths(spec):
        file_in(folders, path, field)
    if isinstance(spec, SourceSpec) and spec.source.url is not None:
        _check_url(spec.source.url)
    return spec


def _no_password(definition: dict[str, Any]) -> None:
    source = definition.get("source")
    url = source.get("url") if isinstance(source, dict) else None
    if isinstance(url, str):
        try:
            check_url(url)
        except ValueError:
            raise invalid_field(
                "definition.source.url",
                "a url sent to the server holds no password (nor any secret in its query): "
                "write it as scheme://user@host:port/database; the server's operator gives the "
                "password (JOURNEYMAP_SOURCE_<NAME>_PASSWORD, or the credentials file)",
            ) from None


def _paths(spec: Any) -> list[tuple[str, str]]:
    if isinstance(spec, SourceSpec):
        found = [("definition.source.path", spec.source.path)]
        if spec.customers is not None:
            found.append(("definition.customers.path", spec.customers.path))
        return [(f, p) for f, p in found if p is not None]
    return [("definition.feedback.path", spec.feedback.path)]


def _check_url(url: str) -> None:
    field = "definition.source.url"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() in ("pyspark", "spark"):
        raise invalid_field(
            field, "Spark sources are not read by the server; run `journeymap analyze` on them"
        )
    if PLACEHOLDER.search(url):
        raise invalid_field(
            field,
            "a url sent to the server holds no ${NAME}: the server's operator gives the "
            "password (JOURNEYMAP_SOURCE_<NAME>_PASSWORD, or the credentials file)",
        )


def file_in(folders: SourceFolders, written: str, field: str) -> Path:
    """The file `written` names inside the sources folder, or Invalid naming `field`."""
    if folders.root is None:
        raise invalid_field(field, f"file sources are not enabled on this server: {ENABLE}")
    if "\x00" in written or len(written) > 1000:
        raise invalid_field(field, "give a path of at most 1000 characters, with no NUL")
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
        raise invalid_field(
            field, "give the path relative to the server's sources folder, not an absolute path"
        )
    if written.startswith("~") or ".." in re.split(r"[\\/]", written):
        raise invalid_field(
            field, "a path may not leave the sources folder: remove `..` (and `~`) from it"
        )
    root = folders.root.resolve()
    target = (root / written).resolve()
    if not target.is_relative_to(root):
        raise invalid_field(
            field, "the path leads out of the sources folder (a symbolic link): refused"
        )
    data = folders.data.resolve()
    if target.is_relative_to(data) or data.is_relative_to(target):
        raise invalid_field(field, "the server's own data folder is never read as a source")
    return target


def password_for(name: str, url: str) -> str | None:
    """The url with the server's password placeholder for the source `name`, when the
    operator set one for it (and for the url's database); None to leave the url as it is.
    Raises SourceError when the variable is set for another database."""
    variable = password_variable(name)
    if variable not in os.environ:
        return None
    allowed = os.environ.get(place_variable(name))
    here = _Place.of(urllib.parse.urlsplit(url))
    if allowed is None or _Place.of(urllib.parse.urlsplit(allowed)) != here:
        raise SourceError(
            f"source.url: the server holds a password for the source '{name}' ({variable}), "
            f"given only to the database {place_variable(name)} names; {here} is not it: "
            "the operator sets that variable to the source's url (without the password)"
        )
    parts = urllib.parse.urlsplit(url)
    user = parts.username or ""
    netloc = f"{user}:${{{variable}}}@{parts.netloc.rsplit('@', 1)[-1]}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
