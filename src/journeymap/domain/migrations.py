"""Upgrades of older journey files to the current format, applied on load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import Problem
from .model import FORMAT_VERSION

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a format-n document into a format-(n+1) one. Version 1 is the first
# published format, so there is nothing to upgrade yet; a format change adds its step here.
MIGRATIONS: dict[int, Migration] = {}


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The document upgraded to FORMAT_VERSION, or the problem that prevents it."""
    version = data.get("format_version")
    if version is None:
        return data, [
            Problem(
                ("format_version",),
                "missing required field 'format_version'",
                f"add `format_version: {FORMAT_VERSION}` as the first line",
                code="missing-field",
            )
        ]
    if isinstance(version, bool) or not isinstance(version, int):
        return data, [
            Problem(
                ("format_version",),
                f"format_version must be a whole number, got {version!r}",
                f"write `format_version: {FORMAT_VERSION}`",
                code="wrong-type",
            )
        ]
    if version > FORMAT_VERSION:
        return data, [
            Problem(
                ("format_version",),
                f"format_version {version} is newer than this journeymap reads "
                f"(up to {FORMAT_VERSION})",
                "upgrade journeymap: pip install -U journeymap",
                code="too-new",
            )
        ]
    oldest = min(MIGRATIONS, default=FORMAT_VERSION)
    if version < oldest:
        return data, [
            Problem(
                ("format_version",),
                f"format_version {version} is not a journeymap format",
                f"write `format_version: {FORMAT_VERSION}`",
                code="too-old",
            )
        ]
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return {**data, "format_version": FORMAT_VERSION}, []
