"""Small builders the analytics tests share."""

from __future__ import annotations

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
