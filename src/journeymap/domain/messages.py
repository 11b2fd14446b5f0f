"""Pydantic validation errors, retold as problems a person can act on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from .errors import Path, Problem
from .ids import ID_RULE, slugify
from .suggest import did_you_mean, one_of

_RANGE_HINTS = {
    "severity": "use a whole number from 1 (minor) to 5 (critical)",
    "value": "use a whole number from 1 (low) to 5 (high)",
    "effort": "use a whole number from 1 (low) to 5 (high)",
    "score": "use a score from -2.0 (awful) to 2.0 (delighted)",
}


def yaml_type(value: Any) -> str:
    """What a value looks like in a YAML file."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from_error(
    error: ValidationError,
    base: Path,
    fields: Iterable[str],
    strip_tag: bool = False,
) -> list[Problem]:
    """Problems for every error in `error`, with paths under `base`.

    `fields` are the allowed field names (for suggestions on unknown ones); `strip_tag` drops
    the discriminator value pydantic puts in the path of a tagged union (the card kind).
    """
    allowed = list(fields)
    out: list[Problem] = []
    seen: set[tuple[Path, str]] = set()
    for err in error.errors(include_url=False):
        loc = list(err["loc"])
        if strip_tag and loc and isinstance(loc[0], str) and err["type"] != "union_tag_invalid":
            loc = loc[1:]
        # A union (`int | float`) reports each branch by type name; the field is what matters.
        loc = [p for p in loc if not (isinstance(p, str) and p in _BRANCH_NAMES)]
        problem = _problem(err, (*base, *loc), allowed)
        if (problem.path, problem.message) not in seen:
            seen.add((problem.path, problem.message))
            out.append(problem)
    return out


_BRANCH_NAMES = frozenset({"int", "float", "str", "bool", "none", "date", "list", "dict"})


def _problem(err: Any, path: Path, allowed: list[str]) -> Problem:
    kind: str = err["type"]
    value = err.get("input")
    ctx: dict[str, Any] = err.get("ctx") or {}
    field = str(path[-1]) if path and isinstance(path[-1], str) else None
    name = f"'{field}'" if field else "this"

    def p(message: str, hint: str | None = None, code: str = kind) -> Problem:
        return Problem(path, message, hint, code=code)

    if kind == "missing":
        return p(f"missing required field {name}", f"add `{field}: ...`", "missing-field")
    if kind == "extra_forbidden":
        fallback = f"allowed fields here are: {one_of(allowed, 30)}"
        return p(
            f"unknown field {name}", did_you_mean(field or "", allowed, fallback), "unknown-field"
        )
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", value))
        kinds = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        fallback = f"card kinds are: {one_of(kinds)}"
        return Problem(
            (*path[:-1], "kind") if path and path[-1] == tag else (*path, "kind"),
            f"unknown card kind '{tag}'",
            did_you_mean(tag, kinds, fallback),
            code="bad-choice",
        )
    if kind == "union_tag_not_found":
        return Problem(
            (*path, "kind"),
            "missing required field 'kind'",
            "add `kind:` note, touchpoint, pain_point, opportunity, quote or metric",
            code="missing-field",
        )
    if kind in ("enum", "literal_error"):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return p(
            f"{_show(value)} is not a valid {field or 'value'}",
            did_you_mean(str(value), choices, f"use one of: {one_of(choices)}"),
            "bad-choice",
        )
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = ctx.get("le", ctx.get("ge", ctx.get("lt", ctx.get("gt"))))
        word = "at most" if kind.startswith("less") else "at least"
        hint = _RANGE_HINTS.get(field or "")
        return p(f"{field or 'value'} must be {word} {bound}, got {value}", hint, "out-of-range")
    if kind == "string_pattern_mismatch":
        return p(
            f"{_show(value)} is not a valid id",
            f"{ID_RULE}; for example '{slugify(str(value))}'",
            "bad-id",
        )
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return p(
            f"{name} is {len(str(value))} characters long; the limit is {limit}",
            "shorten it, or move the detail to `details` or to linked evidence",
            "too-long",
        )
    if kind == "string_too_short":
        return p(f"{name} is empty", "write some text, or remove the field", "empty")
    if kind == "string_type":
        scalar = not isinstance(value, list | dict)
        hint = "put the value in quotes" if scalar else "write the text on one line, as text"
        return p(f"expected text, got {yaml_type(value)}", hint, "wrong-type")
    if kind == "bool_not_number":
        return p(f"expected a number, got {yaml_type(value)}", None, "wrong-type")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return p(f"expected a whole number, got {yaml_type(value)}", None, "wrong-type")
    if kind == "finite_number":
        return p(f"{name} is {value}, which is not a usable number", "write a number", "wrong-type")
    if kind in ("float_type", "float_parsing"):
        return p(f"expected a number, got {yaml_type(value)}", None, "wrong-type")
    if kind in ("bool_type", "bool_parsing"):
        return p(f"expected true or false, got {yaml_type(value)}", None, "wrong-type")
    if kind == "list_type":
        return p(
            f"expected a list, got {yaml_type(value)}",
            "write one `- item` per line, or [a, b]",
            "wrong-type",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return p(
            f"expected a mapping of `key: value` lines, got {yaml_type(value)}", None, "wrong-type"
        )
    if kind.startswith("date"):
        return p(
            f"expected a date, got {_show(value)}",
            "write it as YYYY-MM-DD, e.g. 2026-03-31",
            "bad-date",
        )
    if kind == "value_error":
        reason = str(ctx.get("error", err.get("msg", "")))
        if field == "score":
            return p(f"score {value} has more than one decimal", reason, "too-precise")
        return p(reason, None, "invalid")
    return p(str(err.get("msg", "invalid value")), None, "invalid")
