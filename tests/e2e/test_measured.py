"""The measured map in a real browser against a real server: evidence computed by the real
analysis on the demo events (tests/e2e/measured.py: `analyze --save` with a persona split and
two periods, `feedback --save`, a heatmap) and stored on a journey; the figures on the canvas,
in the funnel panel and in the paths panel equal the API's evidence, written as the poster
writes them (analytics/evidence.py, units.duration); one persona's figures equal that split's;
a changed binding marks the figures stale, naming the touchpoint; axe finds nothing serious with
each panel open; a journey never measured says so, until evidence is stored while it is open."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from journeymap.analytics.evidence import EvidenceSet
from journeymap.units import duration
from tests.e2e.conftest import Server, axe_violations, open_editor
from tests.e2e.measured import measure_journey

STALE = re.compile(r"\bstale\b")


@pytest.fixture(scope="module")
def measured(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Any]]:
    """An online-store journey with measured evidence: (journey id, the API's answer)."""
    journey = server.new_journey("online-store-checkout")
    with server.api() as api:
        answer = measure_journey(api, journey, tmp_path_factory.mktemp("measured"))
    return journey, answer


def lines(locator: Any) -> str:
    return " ".join(locator.inner_text().split())


def test_the_canvas_and_the_panels_show_the_apis_figures(
    page: Any, server: Server, measured: tuple[str, dict[str, Any]]
) -> None:
    journey, answer = measured
    ev = EvidenceSet.model_validate(answer["data"])
    assert answer["stale"] is None and ev.split is not None and ev.periods and ev.transitions
    open_editor(page, server.url, journey)
    page.locator("[data-measured]").first.wait_for()

    # Touchpoint cards: reach (or <10) and the leavers' share, as the poster writes them.
    reached = [e for e in ev.items if e.metric == "reach"]
    assert reached
    for e in reached:
        shown = lines(page.locator(f'.card-measured[data-measured="{e.target}"]'))
        assert f"Reached {ev.count('reach', e.target)} customers" in shown
        left = ev.share("drop_off_share", e.target)
        if left is not None:
            assert f"{left} of leavers left here" in shown

    # Stage heads: customers and conversion from the stage before.
    stages = [e.target for e in ev.items if e.metric == "stage_customers"]
    for stage in stages:
        shown = lines(page.locator(f'.stage-funnel[data-measured="{stage}"]'))
        assert shown.startswith(f"{ev.count('stage_customers', stage)} customers")
        conversion = ev.share("stage_conversion", stage)
        if conversion is not None:
            assert f"{conversion} from previous" in shown

    # The funnel panel.
    page.get_by_role("button", name="Funnel", exact=True).click()
    panel = page.locator("#measure-panel")
    expect(panel.get_by_role("heading", name="Funnel")).to_be_focused()
    for stage in stages:
        row = panel.locator(f'.funnel-table tr[data-stage="{stage}"]')
        assert lines(row.locator(".customers .value")) == ev.count("stage_customers", stage)
        assert lines(row.locator(".conversion")) == (ev.share("stage_conversion", stage) or "–")
    assert not axe_violations(page)

    # The paths panel: every move with its count (or <10) and median time, and the top paths.
    page.get_by_role("button", name="Paths", exact=True).click()
    rows = panel.locator(".transitions-table tbody tr")
    expect(rows).to_have_count(len(ev.transitions))
    for t in ev.transitions:
        row = panel.locator(
            f'.transitions-table tr[data-source="{t.source}"][data-target="{t.target}"]'
        )
        want = f"<{ev.min_count}" if t.suppressed else f"{t.count:,}"
        assert lines(row.locator(".count")) == want
        gap = "–" if t.median_gap_s is None or t.suppressed else duration(t.median_gap_s * 1000)
        assert lines(row.locator(".gap")) == gap
    assert panel.locator(".sankey .sankey-link").count() == len(ev.transitions)
    counts = [lines(c) for c in panel.locator(".top-path .path-count").all()]
    assert counts == [f"<{ev.min_count}" if p.suppressed else f"{p.customers:,}" for p in ev.paths]
    assert not axe_violations(page)

    # What customers say, and the heatmap, are there and pass axe too.
    page.get_by_role("button", name="Customer voice", exact=True).click()
    assert ev.feedback is not None
    notes = [p.disagreement for p in ev.feedback.curve if p.disagreement]
    expect(panel.locator(".disagreements li")).to_have_count(len(notes))
    assert page.locator(".emotion-svg .measured-point").count() > 0
    assert page.locator(".emotion-svg .measured-band").count() == 1
    assert not axe_violations(page)
    page.get_by_role("button", name="Heatmap", exact=True).click()
    expect(panel.locator(".heatmap-table")).to_be_visible()
    assert not axe_violations(page)


def test_one_personas_figures_equal_that_split(
    page: Any, server: Server, measured: tuple[str, dict[str, Any]]
) -> None:
    journey, answer = measured
    ev = EvidenceSet.model_validate(answer["data"])
    assert ev.split is not None and ev.split.by == "persona"
    group, funnel = next(iter(ev.split.groups.items()))
    open_editor(page, server.url, journey)
    page.get_by_label("Figures for").select_option(label=f"Persona: {group}")
    page.get_by_role("button", name="Funnel", exact=True).click()
    for share in funnel:
        want = f"<{ev.min_count}" if share.suppressed else f"{share.customers:,}"
        head = lines(page.locator(f'.stage-funnel[data-measured="{share.stage}"]'))
        assert head.startswith(f"{want} customers"), head
        row = page.locator(f'.funnel-table tr[data-stage="{share.stage}"]')
        assert lines(row.locator(".customers .value")) == want
    expect(page.locator(".funnel-table caption")).to_contain_text(f"persona {group}")
    # Reach is measured for everyone only: no touchpoint figures under one persona's.
    expect(page.locator(".card-measured")).to_have_count(0)
    # Two periods: both figures side by side.
    page.get_by_label("Figures for").select_option(label="Compare two periods")
    assert ev.periods
    p = ev.periods[-1]
    before = f"<{ev.min_count}" if p.before_customers is None else f"{p.before_customers:,}"
    after = f"<{ev.min_count}" if p.after_customers is None else f"{p.after_customers:,}"
    head = lines(page.locator(f'.stage-funnel[data-measured="{p.stage}"]'))
    assert head.startswith(f"{before} → {after} customers"), head
    assert not axe_violations(page)


def test_a_changed_binding_marks_the_figures_stale(
    page: Any, server: Server, tmp_path: Path
) -> None:
    journey = server.new_journey("online-store-checkout")
    with server.api() as api:
        measure_journey(api, journey, tmp_path)
    open_editor(page, server.url, journey)
    fee = page.locator('.card-measured[data-measured="fee-added"]')
    expect(fee).not_to_have_class(STALE)
    with server.api() as api:
        rev = api.get(f"/api/journeys/{journey}").json()["rev"]
        op = {
            "kind": "set",
            "entity": "card",
            "id": "fee-added",
            "field": "events",
            "value": {"names": ["delivery_fee_shown", "delivery_fee_changed"]},
        }
        done = api.post(
            f"/api/journeys/{journey}/ops",
            json={"base_rev": rev, "ops": [{"op_id": "rebind-fee", "op": op}]},
        )
        assert done.status_code == 200, done.text
        stale = api.get(f"/api/journeys/{journey}/evidence").json()["stale"]
        assert stale["touchpoints"] == ["fee-added"]
    expect(fee).to_have_class(STALE, timeout=20_000)
    expect(fee).to_contain_text("stale: changed since measured")
    note = page.get_by_role("note")
    expect(note).to_contain_text("Shipping fee added to the order total")
    # The funnel rests on every binding: the stage heads are stale too; a reach resting on
    # another touchpoint's own binding is not.
    expect(page.locator(".stage-funnel.stale").first).to_be_visible()
    expect(page.locator('.card-measured[data-measured="instagram-ad"]')).not_to_have_class(STALE)


def test_a_journey_never_measured_says_so_until_evidence_comes(
    page: Any, server: Server, measured: tuple[str, dict[str, Any]]
) -> None:
    journey = server.new_journey("online-store-checkout")
    open_editor(page, server.url, journey)
    bar = page.get_by_role("region", name="Measured figures")
    expect(bar).to_contain_text("Not measured yet")
    expect(page.locator("[data-measured]")).to_have_count(0)
    # Evidence stored while the map is open (a refresh, an upload): it appears, no reload.
    with server.api() as api:
        stored = api.put(f"/api/journeys/{journey}/evidence", json={"data": measured[1]["data"]})
        assert stored.status_code in (200, 201), stored.text
    ev = EvidenceSet.model_validate(measured[1]["data"])
    reach = page.locator('.card-measured[data-measured="instagram-ad"]')
    expect(reach).to_contain_text(f"Reached {ev.count('reach', 'instagram-ad')} customers")
    expect(bar).not_to_contain_text("Not measured yet")


def test_a_share_link_shows_the_figures(
    browser: Any, server: Server, measured: tuple[str, dict[str, Any]]
) -> None:
    journey, answer = measured
    ev = EvidenceSet.model_validate(answer["data"])
    with server.api() as api:
        made = api.post(f"/api/journeys/{journey}/share-links", json={})
        assert made.status_code == 201, made.text
    stranger = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        visitor = stranger.new_page()
        visitor.goto(f"{server.url}{made.json()['url']}")
        reach = visitor.locator('.card-measured[data-measured="instagram-ad"]')
        expect(reach).to_contain_text(f"Reached {ev.count('reach', 'instagram-ad')} customers")
        visitor.get_by_role("button", name="Paths", exact=True).click()
        expect(visitor.locator(".transitions-table tbody tr")).to_have_count(len(ev.transitions))
        assert not axe_violations(visitor)
    finally:
        stranger.close()
