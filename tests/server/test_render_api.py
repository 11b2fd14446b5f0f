"""The journey as a poster: SVG and HTML (escaped, no scripts allowed), PNG and PDF through
Chromium (one case each), ETags, stored evidence, and who may see it."""

from __future__ import annotations

from typing import Any

from .conftest import Site
from .journey_helpers import new_journey, share_link

SCRIPT = "<script>alert('x')</script> & more"


def _with_script_card(site: Site) -> str:
    jid = new_journey(site)
    card = {"kind": "note", "stage": "awareness", "lane": "actions", "text": SCRIPT}
    made = site.client.post(f"/api/journeys/{jid}/cards", json=card, headers=site.auth())
    assert made.status_code == 201, made.text
    return jid


def test_svg_and_html_escape_user_text(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _with_script_card(site)
    svg = c.get(f"/api/journeys/{jid}/render.svg", headers=auth)
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<svg") and svg.text.rstrip().endswith("</svg>")
    assert "&lt;script&gt;" in svg.text and "<script" not in svg.text
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    assert svg.headers["x-content-type-options"] == "nosniff"
    assert svg.headers["content-disposition"] == 'inline; filename="new-journey.svg"'
    html = c.get(f"/api/journeys/{jid}/render.html?download=true", headers=auth)
    assert html.status_code == 200 and html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.text.startswith("<!doctype html>") and "<title>New journey</title>" in html.text
    assert "&lt;script&gt;" in html.text and "<script" not in html.text
    assert html.headers["content-disposition"] == 'attachment; filename="new-journey.html"'


def test_etag_follows_the_revision(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _with_script_card(site)
    url = f"/api/journeys/{jid}/render.svg"
    first = c.get(url, headers=auth)
    assert first.headers["etag"] == '"r2-svg"'
    same = c.get(url, headers={**auth, "If-None-Match": '"r2-svg"'})
    assert same.status_code == 304 and same.content == b""
    renamed = c.patch(
        f"/api/journeys/{jid}/stages/awareness",
        json={"name": "Noticing"},
        headers={**auth, "If-Match": '"r1"'},
    )
    assert renamed.status_code == 200
    fresh = c.get(url, headers={**auth, "If-None-Match": '"r2-svg"'})
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"r3-svg"'
    assert "Noticing" in fresh.text


def test_stored_evidence_is_drawn(site: Site) -> None:
    c, auth = site.client, site.auth()
    jid = _with_script_card(site)
    app: Any = c.app
    evidence = {
        "journey": "new-journey",
        "source": "events.parquet",
        "period": ["2026-01-01", "2026-03-31"],
        "computed_at": "2026-04-01T00:00:00Z",
        "query_hash": "abc",
        "items": [{"metric": "stage_customers", "target": "awareness", "value": 48213, "n": 48213}],
    }
    with app.state.db.write() as uow:
        uow.evidence.put(jid, evidence, None)
    drawn = c.get(f"/api/journeys/{jid}/render.svg", headers=auth)
    assert drawn.headers["etag"].startswith('"r2-e') and "48,213" in drawn.text
    plain = c.get(f"/api/journeys/{jid}/render.svg?evidence=false", headers=auth)
    assert plain.headers["etag"] == '"r2-svg"' and "48,213" not in plain.text


def test_who_may_see_the_poster(site: Site) -> None:
    c = site.client
    jid = new_journey(site)
    url = f"/api/journeys/{jid}/render.svg"
    viewer = site.auth(site.user("vera@example.com", "viewer"))
    stranger = site.auth(site.user("sam@example.com", None))
    assert c.get(url, headers=viewer).status_code == 200
    assert c.get(url, headers=share_link(site, jid)).status_code == 200
    other = new_journey(site)
    assert (
        c.get(f"/api/journeys/{other}/render.svg", headers=share_link(site, jid)).status_code == 404
    )
    assert c.get(url, headers=stranger).status_code == 404
    assert c.get(url).status_code == 401
    assert c.get(f"/api/journeys/{jid}/render.gif", headers=site.auth()).status_code == 404
    bad_scale = c.get(f"/api/journeys/{jid}/render.png?scale=50", headers=site.auth())
    assert bad_scale.status_code == 422 and bad_scale.json()["errors"][0]["field"] == "query.scale"


def test_png(site: Site) -> None:
    jid = _with_script_card(site)
    png = site.client.get(f"/api/journeys/{jid}/render.png?scale=0.5", headers=site.auth())
    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_pdf(site: Site) -> None:
    jid = _with_script_card(site)
    pdf = site.client.get(f"/api/journeys/{jid}/render.pdf", headers=site.auth())
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
