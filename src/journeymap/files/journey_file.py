"""Journey files on disk: read and check YAML or JSON, write canonical text atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..domain.document import journey_from_data, journey_to_data
from ..domain.errors import JourneyInvalid, Problem
from ..domain.model import Journey
from .fast_yaml import Unsure, fast_load
from .yaml_text import Parsed, YamlSyntaxError, dump_yaml, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def is_json(path: str | Path) -> bool:
    return Path(path).suffix.lower() in JSON_SUFFIXES


def read_text(path: str | Path) -> str:
    """The file's text, or JourneyInvalid saying why it cannot be read."""
    name = str(path)

    def fail(message: str, hint: str, code: str) -> JourneyInvalid:
        return JourneyInvalid([Problem((), message, hint, file=name, code=code)])

    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(
                f"the file is {size / 1e6:.1f} MB; journey files are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                "split the journey, or move long text into linked documents",
                "too-large",
            )
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise fail("no such file", "check the path", "not-found") from None
    except IsADirectoryError:
        raise fail("is a folder, not a file", "name a .yaml or .json file", "not-a-file") from None
    except OSError as error:
        raise fail(
            f"cannot read the file: {error.strerror}", "check its permissions", "unreadable"
        ) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise JourneyInvalid(
            [
                Problem(
                    (),
                    f"not UTF-8 text (byte 0x{raw[error.start]:02x})",
                    "save the file as UTF-8; is it really a journey file?",
                    file=name,
                    line=line,
                    column=column,
                    code="not-utf8",
                )
            ]
        ) from None


def parse_text(text: str, name: str, as_json: bool = False) -> Parsed:
    """Parse journey text, reporting syntax errors against `name`."""
    if len(text) > MAX_FILE_BYTES:
        raise JourneyInvalid(
            [
                Problem(
                    (),
                    f"the text is {len(text) / 1e6:.1f} million characters; journey files "
                    f"are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB",
                    "split the journey, or move long text into linked documents",
                    file=name,
                    code="too-large",
                )
            ]
        )
    try:
        return parse_yaml(text)
    except YamlSyntaxError as error:
        problem = Problem(
            (),
            error.message,
            error.hint,
            file=name,
            line=error.line,
            column=error.column,
            code=error.code,
        )
        refused_unread = error.code == "too-deep"  # the depth is JSON's problem too
    if not as_json or refused_unread:
        raise JourneyInvalid([problem])
    try:  # JSON that the YAML parser refused: JSON's own verdict, and its own message
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey:
        raise JourneyInvalid([problem]) from None  # the YAML message says where the repeat is
    except json.JSONDecodeError as json_error:
        raise JourneyInvalid(
            [
                Problem(
                    (),
                    f"invalid JSON: {json_error.msg}",
                    "check the commas, quotes and brackets",
                    file=name,
                    line=json_error.lineno,
                    column=json_error.colno,
                    code="syntax",
                )
            ]
        ) from None
    except RecursionError:
        raise JourneyInvalid(
            [
                Problem(
                    (),
                    "invalid JSON: nested too deeply",
                    "journey files nest a few levels only",
                    file=name,
                    code="syntax",
                )
            ]
        ) from None
    return Parsed(tree=None, data=data)


class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = next((k for k in keys if keys.count(k) > 1), None)
    if repeated is not None:
        raise _DuplicateKey(repeated)
    return dict(pairs)


def journey_from_text(text: str, name: str = "<text>", as_json: bool = False) -> Journey:
    parsed = parse_text(text, name, as_json)
    return journey_from_parsed(parsed, name)


def journey_from_parsed(parsed: Parsed, name: str) -> Journey:
    try:
        return journey_from_data(parsed.data)
    except JourneyInvalid as invalid:
        raise JourneyInvalid(parsed.located(list(invalid.problems), name)) from None


def load_journey(path: str | Path) -> Journey:
    """Read and check a journey file; JourneyInvalid lists every problem with its place.

    A valid YAML file is read by the fast reader (fast_yaml) when it can promise the full
    reader's answer; anything else, a mistake included, is read the full way, which places
    each problem on its line."""
    text = read_text(path)
    if not is_json(path) and len(text) <= MAX_FILE_BYTES:
        try:
            return journey_from_data(fast_load(text))
        except (Unsure, JourneyInvalid):
            pass
    return journey_from_text(text, str(path), is_json(path))


def render_text(
    journey: Journey, as_json: bool = False, previous: str | Parsed | None = None
) -> str:
    """The canonical text of `journey`, keeping the comments of `previous` YAML (its text, or
    the file as already parsed, to save parsing it twice)."""
    data = journey_to_data(journey)
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    if isinstance(previous, Parsed):
        return dump_yaml(data, previous if previous.tree is not None else None)
    parsed = None
    if previous is not None:
        try:
            parsed = parse_yaml(previous)
        except YamlSyntaxError:
            parsed = None  # the old text is broken: write fresh, nothing to keep
    return dump_yaml(data, parsed)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def save_journey(journey: Journey, path: str | Path) -> None:
    """Write `journey` to `path` atomically; an existing file's comments are kept."""
    previous = None
    if not is_json(path) and Path(path).is_file():
        try:
            previous = read_text(path)
        except JourneyInvalid:
            previous = None
    write_atomic(path, render_text(journey, is_json(path), previous))


def write_atomic(path: str | Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new, never half."""
    write_atomic_bytes(path, text.encode("utf-8"))


class FileWriteError(OSError):
    """A file could not be written; nothing was changed."""


def update_file(
    path: str | Path, change: Callable[[Journey], Journey], dry_run: bool = False
) -> tuple[Journey, Journey, bool]:
    """Load a journey file, change it, and write it back in canonical form keeping its comments.
    Returns (before, after, whether the text changed); JourneyInvalid or OperationError leave
    the file as it was."""
    text = read_text(path)
    as_json = is_json(path)
    parsed = parse_text(text, str(path), as_json)
    before = journey_from_parsed(parsed, str(path))
    after = change(before)
    new_text = render_text(after, as_json, None if as_json else parsed)
    changed = new_text != text
    if changed and not dry_run:
        write_atomic(path, new_text)
    return before, after, changed


def write_atomic_bytes(path: str | Path, data: bytes) -> None:
    target = Path(path)
    try:
        _write_atomic_bytes(target, data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise FileWriteError(
            f"cannot write {target}: {reason} (check that the folder exists and is writable)"
        ) from None


def _write_atomic_bytes(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise IsADirectoryError(21, "it is a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(target.stat().st_mode & 0o777 if target.exists() else 0o644)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
