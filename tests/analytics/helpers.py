"""Small builders the analytics tests share."""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from journeymap.cli.app import app
from journeymap.domain.operations import AddOp


def touchpoint(
    ident: str, stage: str, events: dict[str, Any], text: str | None = None, step: str | None = None
) -> AddOp:
    """An AddOp for a web touchpoint in the `touchpoints` lane, bound to `events`."""
    value: dict[str, Any] = {
        "kind": "touchpoint",
        "stage": stage,
        "lane": "touchpoints",
        "channel": "web",
        "text": text or ident,
        "events": events,
    }
    if step is not None:
        value["step"] = step
    return AddOp(entity="card", id=ident, value=value)


def demo_journey(folder: Path, events: int) -> tuple[Path, Path]:
    """Demo events and an online-store journey beside them: (journey file, source file)."""
    runner = CliRunner()
    assert runner.invoke(app, ["demo-data", str(folder), "--events", str(events)]).exit_code == 0
    journey = folder / "store.yaml"
    assert runner.invoke(app, ["new", "-t", "online-store-checkout", str(journey)]).exit_code == 0
    return journey, folder / "online-store.source.yaml"


def same(a: Any, b: Any, tolerance: float) -> bool:
    """Equal results: dataclasses field by field, lists item by item, floats within a
    relative tolerance (None equals only None)."""
    if is_dataclass(a) and is_dataclass(b):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name), tolerance) for f in fields(a)
        )
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y, tolerance) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=tolerance)
    return bool(a == b)
