"""A server app with a sources folder holding the demo events and survey, for the data source
and refresh tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .conftest import Site

DEMO = "demo"  # the folder under the sources folder holding the demo files


def demo_files(sources: Path, events: int = 3_000) -> tuple[dict[str, Any], dict[str, Any]]:
    """The demo events and survey under `sources/demo`; their definitions as the API takes
    them (paths relative to the sources folder)."""
    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.demo_feedback import generate_feedback

    folder = sources / DEMO
    spec = yaml.safe_load(generate(folder, events).read_text())
    spec["source"]["path"] = f"{DEMO}/{spec['source']['path']}"
    spec["customers"]["path"] = f"{DEMO}/{spec['customers']['path']}"
    said = yaml.safe_load(generate_feedback(folder).read_text())
    said["feedback"]["path"] = f"{DEMO}/{said['feedback']['path']}"
    return spec, said


def open_sourced_site(tmp_path: Path, sources: Path | None) -> Iterator[Site]:
    """A site whose operator named `sources` as its folder of data sources (its data folder
    beside it, not inside), server errors raised in the test."""
    from .helpers import open_site

    data = tmp_path / "data"
    data.mkdir()
    yield from open_site(
        str(data / "server.db"), data, sources_dir=sources, raise_server_exceptions=True
    )


def refreshed(site: Site, journey: str, timeout: float = 120) -> dict[str, Any]:
    """Start a refresh of the journey and wait for its end: its last status."""
    c = site.client
    started = c.post(f"/api/journeys/{journey}/refresh", headers=site.auth())
    assert started.status_code == 202, started.text
    return finished(site, journey, timeout)


def finished(site: Site, journey: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status = site.client.get(f"/api/journeys/{journey}/refresh", headers=site.auth()).json()
        if status["state"] != "running" or time.monotonic() > deadline:
            return dict(status)
        time.sleep(0.1)
