"""The journey size limits (cards, characters per card, bytes of the document): one object and
one check, refused with 413 on create and import, and measured so that an export within them
always fits the import again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.domain.apply import apply_all
from journeymap.domain.limits import JourneyLimits, JourneyTooLarge, check_size, document_size
from journeymap.domain.model import Journey
from journeymap.domain.operations import AddOp
from journeymap.files.journey_file import render_text
from journeymap.services.templates import new_journey, template_text
from tests.server.conftest import Site


def with_cards(texts: list[str], details: str | None = None) -> Journey:
    journey = new_journey(framework="three-stage")
    return apply_all(
        journey,
        [
            AddOp(
                entity="card",
                id=f"c{i}",
                value={
                    "kind": "note",
                    "stage": "awareness",
                    "lane": "actions",
                    "text": text,
                    **({"details": details} if details else {}),
                },
            )
            for i, text in enumerate(texts)
        ],
    )


def test_each_limit_says_the_size_the_limit_and_the_fix() -> None:
    journey = with_cards(["one", "two", "three"], details="x" * 50)
    check_size(journey, JourneyLimits(cards=3, card_chars=55, document_bytes=10_000))
    with pytest.raises(JourneyTooLarge) as cards:
        check_size(journey, JourneyLimits(cards=2))
    assert cards.value.what == "cards" and (cards.value.actual, cards.value.limit) == (3, 2)
    assert str(cards.value).startswith("the journey has 3 cards; a journey may have 2: split it")
    with pytest.raises(JourneyTooLarge) as chars:
        check_size(journey, JourneyLimits(card_chars=50))
    assert str(chars.value).startswith(
        "card 'c0' holds 53 characters of text; a card may hold 50: move the long text"
    )
    with pytest.raises(JourneyTooLarge) as size:
        check_size(journey, JourneyLimits(document_bytes=1000))
    assert size.value.what == "document_bytes" and size.value.actual > 1000
    assert "; a journey may be 1,000: split it into several journeys" in str(size.value)


def test_create_and_import_past_a_limit_answer_413(make_site: Callable[..., Site]) -> None:
    site = make_site(JOURNEYMAP_MAX_CARDS=5)
    text = template_text("service-signup")  # more than 5 cards
    url = f"/api/workspaces/{site.workspace}/journeys"
    for answer in (
        site.client.post(f"{url}/import", content=text, headers=site.auth()),
        site.client.post(url, json={"document": text}, headers=site.auth()),
    ):
        assert answer.status_code == 413, answer.text
        body = answer.json()
        assert body["title"] == "Journey too large" and body["limit"] == "cards"
        assert "cards; a journey may have 5: split it" in body["detail"]
    assert site.client.get(url, headers=site.auth()).json()["total"] == 0  # nothing made


_awkward = st.text(
    alphabet=st.sampled_from(["a", " ", "\n", "'", '"', "\\", "\x7f", "\u2028", "\ufeff", "é"]),
    min_size=1,
    max_size=300,
).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_awkward, min_size=1, max_size=4))
def test_the_measured_size_bounds_both_exports(texts: list[str]) -> None:
    """Whatever the cards hold (many short lines, quotes YAML doubles, characters it escapes),
    the YAML and the JSON export are no larger than the size the limit is checked on: a journey
    within the limit always fits the import again."""
    journey = with_cards(texts)
    measured = document_size(journey)
    assert len(render_text(journey).encode()) <= measured
    assert len(render_text(journey, as_json=True).encode()) <= measured
