"""Problems found in a journey, located by path (and by file position when there is a file)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

PathPart = str | int
Path = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """`('cards', 12, 'channel')` -> `cards[12].channel`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with where it is and how to fix it."""

    path: Path
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    code: str = "invalid"  # stable kind of problem, for tools and tests
    ref: str | None = None  # the id a broken reference names

    def located(self, file: str | None, line: int | None, column: int | None) -> Problem:
        return replace(self, file=file, line=line, column=column)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        text = format_path(self.path)
        prefix = " ".join(p for p in (where, text) if p)
        body = f"{prefix}: {self.message}" if prefix else self.message
        return f"{body} ({self.hint})" if self.hint else body


class JourneyInvalid(ValueError):
    """A journey (file, dict or edit) broke one or more rules; every problem is listed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(
            problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, format_path(p.path))
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class OperationError(ValueError):
    """An edit operation could not be applied; the journey is unchanged. `index`: which
    operation of a batch it was (from 0); None when the batch as a whole broke a rule."""

    def __init__(self, message: str, hint: str | None = None, index: int | None = None) -> None:
        self.message = message
        self.hint = hint
        self.index = index
        super().__init__(f"{message} ({hint})" if hint else message)
