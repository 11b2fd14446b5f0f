"""The fields voice-of-the-customer work added to the journey: a quote's date and the touchpoint
it speaks of, service-contact flags, and the journey's measured-curve signal."""

from __future__ import annotations

import datetime as dt

import pytest

from journeymap.domain.checks import check_journey
from journeymap.domain.document import journey_from_data, journey_to_data
from journeymap.domain.errors import JourneyInvalid

BASE = {
    "format_version": 1,
    "id": "j",
    "title": "T",
    "stages": [{"id": "s", "name": "S"}],
    "sections": [
        {
            "id": "p",
            "name": "P",
            "lanes": [
                {"id": "tp", "name": "Touchpoints", "kind": "touchpoints"},
                {"id": "help", "name": "Help", "kind": "touchpoints", "service_contact": True},
                {"id": "q", "name": "Voice", "kind": "quotes"},
            ],
        }
    ],
    "cards": [
        {
            "id": "chat",
            "kind": "touchpoint",
            "stage": "s",
            "lane": "tp",
            "text": "Chat",
            "channel": "chat",
            "service_contact": True,
        },
        {
            "id": "page",
            "kind": "touchpoint",
            "stage": "s",
            "lane": "tp",
            "text": "Page",
            "channel": "web",
        },
        {
            "id": "said",
            "kind": "quote",
            "stage": "s",
            "lane": "q",
            "text": "Too slow",
            "date": "2026-02-03",
            "about": "page",
            "source": "Survey",
        },
    ],
    "feedback": {"curve": "nps"},
}


def test_new_fields_load_check_and_write_back() -> None:
    journey = journey_from_data(BASE)
    assert check_journey(journey) == []
    quote = journey.card("said")
    assert quote.date == dt.date(2026, 2, 3) and quote.about == "page"  # type: ignore[union-attr]
    assert journey.card("chat").service_contact  # type: ignore[union-attr]
    assert journey.feedback is not None and journey.feedback.curve == "nps"
    data = journey_to_data(journey)
    assert data["feedback"] == {"curve": "nps"}
    page = next(c for c in data["cards"] if c["id"] == "page")
    assert "service_contact" not in page  # the default is left out of files
    assert next(c for c in data["cards"] if c["id"] == "said")["date"] == dt.date(2026, 2, 3)
    assert journey_from_data(data) == journey


def test_a_quote_about_a_missing_or_wrong_card_is_located() -> None:
    cards = [*BASE["cards"][:2], {**BASE["cards"][2], "about": "pag"}]
    with pytest.raises(JourneyInvalid) as missing:
        journey_from_data({**BASE, "cards": cards})
    [problem] = missing.value.problems
    assert (problem.path, problem.code) == (("cards", 2, "about"), "unknown-card")
    assert "did you mean 'page'" in str(problem)
    cards[2] = {**BASE["cards"][2], "about": "said"}
    with pytest.raises(JourneyInvalid) as wrong:
        journey_from_data({**BASE, "cards": cards})
    assert [p.code for p in wrong.value.problems] == ["wrong-card-kind"]
