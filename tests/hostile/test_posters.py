"""Posters: a render past its time has Chromium's whole process group killed; a few renders at a
time, the rest 503 with Retry-After; a pixel and a scale cap checked before Chromium starts;
one render per revision, evidence, format and scale; text wrapped in linear steps."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journeymap.render import export, text_metrics
from journeymap.render.export import RenderTimeout, render
from journeymap.services import posters
from journeymap.services.templates import new_journey
from tests.server.conftest import Site

from .conftest import linear

TAG = "JOURNEYMAP_TEST_RENDER_TAG"


def tagged_processes(tag: str) -> list[int]:
    """Live (not zombie) processes whose environment carries `tag`: the Chromium a render
    started inherits the test's environment through Playwright's driver."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if state != "Z" and f"{TAG}={tag}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def test_a_render_past_its_time_kills_the_whole_chromium_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tag = uuid.uuid4().hex
    monkeypatch.setenv(TAG, tag)
    journey = new_journey(template="online-store-checkout")
    started: list[int] = []
    seen_group = export._browser_group

    def group_of(browser: Any) -> int | None:
        group = seen_group(browser)
        started.append(group or 0)
        return group

    # A page that never finishes: a script spinning inside the poster.
    hang = '<svg xmlns="http://www.w3.org/2000/svg"><script>for(;;){}</script></svg>'
    monkeypatch.setattr(export, "write_svg", lambda poster: hang)
    monkeypatch.setattr(export, "_browser_group", group_of)
    with pytest.raises(RenderTimeout, match=r"took longer than 12 s, and was stopped"):
        render(journey, "png", 1.0, timeout=12)
    if started:  # Chromium was up (not stopped while still starting): its group was killed
        assert started[0] > 0
        with pytest.raises(ProcessLookupError):
            _wait_gone(started[0])
    deadline = time.monotonic() + 30
    while tagged_processes(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert tagged_processes(tag) == [], "a Chromium process outlived the render"


def _wait_gone(group: int) -> None:
    """Raise ProcessLookupError once no live process is left in `group`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        alive = False
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                alive |= fields[0] != "Z" and int(fields[2]) == group
        if not alive:
            raise ProcessLookupError(group)
        time.sleep(0.2)


def _journey(site: Site, template: str = "service-signup") -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"template": template},
        headers=site.auth(),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_renders_past_the_limit_get_503(make_site: Callable[..., Site]) -> None:
    site = make_site(JOURNEYMAP_RENDERS=1, JOURNEYMAP_RENDER_WAIT=0.3)
    app: Any = site.client.app
    first, second = _journey(site), _journey(site)
    answers: dict[str, Any] = {}

    def ask(journey: str) -> None:
        url = f"/api/journeys/{journey}/render.png?scale=0.5"
        answers[journey] = site.client.get(url, headers=site.auth())

    drawing = threading.Thread(target=ask, args=(first,))
    drawing.start()
    deadline = time.monotonic() + 60
    while app.state.gates.renders.busy == 0 and drawing.is_alive():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    ask(second)  # while the first holds the one render slot
    drawing.join(timeout=120)
    busy = answers[second]
    assert busy.status_code == 503, busy.text
    assert busy.headers["retry-after"] == "1"
    assert "busy with other posters to draw" in busy.json()["detail"]
    assert answers[first].status_code == 200
    assert answers[first].content.startswith(b"\x89PNG")
    svg = site.client.get(f"/api/journeys/{second}/render.svg", headers=site.auth())
    assert svg.status_code == 200  # SVG needs no Chromium, so no slot


def test_the_pixel_and_scale_caps_refuse_before_chromium_starts(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_chromium(*_: Any) -> bytes:
        raise AssertionError("Chromium started for a poster past the caps")

    monkeypatch.setattr(export, "_chromium", no_chromium)
    site = make_site(JOURNEYMAP_POSTER_PIXELS=10_000_000)
    jid = _journey(site)  # 2404 x 3013 pixels at scale 1
    big = site.client.get(f"/api/journeys/{jid}/render.png?scale=2", headers=site.auth())
    assert big.status_code == 422, big.text
    assert big.json()["detail"] == (
        "the poster is 2404 x 3013 pixels, 29.0 million pixels at scale 2; a PNG may have "
        "10.0 million here: ask for scale 1.17 or less, or ask for the SVG"
    )
    assert export.poster_pixels(2404, 3013, "pdf", 2) == 2404 * 3013  # a PDF is not scaled
    scale = site.client.get(f"/api/journeys/{jid}/render.png?scale=5", headers=site.auth())
    assert scale.status_code == 422
    assert scale.json()["detail"].startswith("scale 5 is more than this server draws (4)")


def test_one_render_per_revision_evidence_format_and_scale(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[tuple[str, float]] = []
    real = export.render

    def counted(journey: Any, fmt: str, scale: float = 1.0, *args: Any, **kw: Any) -> bytes:
        drawn.append((fmt, scale))
        return real(journey, fmt, scale, *args, **kw)

    monkeypatch.setattr(posters, "render", counted)  # the name the poster service draws with
    site = make_site()
    c, auth = site.client, site.auth()
    jid = _journey(site)
    for _ in range(3):
        assert c.get(f"/api/journeys/{jid}/render.png?scale=0.5", headers=auth).status_code == 200
        assert c.get(f"/api/journeys/{jid}/render.svg", headers=auth).status_code == 200
    assert drawn == [("png", 0.5), ("svg", 1.0)]
    assert c.get(f"/api/journeys/{jid}/render.png?scale=0.6", headers=auth).status_code == 200
    assert drawn[-1] == ("png", 0.6)
    app: Any = c.app
    evidence = {
        "journey": jid,
        "source": "events.parquet",
        "period": ["2026-01-01", "2026-03-31"],
        "computed_at": "2026-04-01T00:00:00Z",
        "query_hash": "abc",
        "items": [],
    }
    with app.state.db.write() as uow:
        uow.evidence.put(jid, evidence, None)
    c.get(f"/api/journeys/{jid}/render.svg", headers=auth)
    assert len(drawn) == 4  # new evidence: drawn again
    renamed = c.patch(
        f"/api/journeys/{jid}", json={"title": "Renamed"}, headers={**auth, "If-Match": "*"}
    )
    assert renamed.status_code == 200, renamed.text
    again = c.get(f"/api/journeys/{jid}/render.svg", headers=auth)
    assert len(drawn) == 5 and "Renamed" in again.text  # a new revision: drawn again


def test_wrapping_takes_linear_steps() -> None:
    module = text_metrics.__file__
    shapes: dict[str, Callable[[int], str]] = {
        "one long word": lambda n: "x" * n,
        "words": lambda n: "customer checkout " * (n // 18),
        "no spaces, wide": lambda n: "中" * n,
        "accents": lambda n: "e\u0301" * (n // 2),
    }
    for name, shape in shapes.items():
        ratio = linear(module, lambda n, s=shape: lambda: text_metrics.wrap(s(n), 220, 13), 3000)
        assert ratio < 2.2, (name, ratio)
        clipped = linear(module, lambda n, s=shape: lambda: text_metrics.clip(s(n), 220, 13), 3000)
        assert clipped < 2.2, (name, clipped)


def test_a_long_word_is_cut_into_lines_that_fit() -> None:
    lines = text_metrics.wrap("a " + "x" * 500 + " b", 100, 13)
    assert "".join(lines).replace(" ", "") == "a" + "x" * 500 + "b"
    assert all(text_metrics.text_width(line, 13) <= 100 for line in lines)
    assert lines[0] == "a" and lines[-1].endswith(" b")


def test_environment_names_every_server_limit() -> None:
    from journeymap.services.limits import ENV, ServerLimits

    limits = ServerLimits.from_env({ENV["renders"]: "3", ENV["cards"]: "10"})
    assert (limits.renders, limits.journey.cards) == (3, 10)
    with pytest.raises(ValueError, match="JOURNEYMAP_RENDER_TIMEOUT='soon': expected a number"):
        ServerLimits.from_env({ENV["render_timeout"]: "soon"})
    with pytest.raises(ValueError, match="JOURNEYMAP_PARSES='0': must be more than 0"):
        ServerLimits.from_env({ENV["parses"]: "0"})
    assert ServerLimits().renders == max(1, (os.cpu_count() or 1) // 2)
