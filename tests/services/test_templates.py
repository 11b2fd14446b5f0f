"""Templates are complete journeys with real content; frameworks start blank maps."""

from __future__ import annotations

import pytest

from journeymap.domain.cards import CARD_TYPES
from journeymap.domain.checks import check_journey
from journeymap.domain.model import LaneKind
from journeymap.files.journey_file import journey_from_text
from journeymap.services.templates import (
    NewJourneyError,
    list_templates,
    new_journey,
    new_journey_text,
    template_names,
)


def test_the_five_templates_ship() -> None:
    assert template_names() == [
        "car-purchase",
        "online-store-checkout",
        "playlist-sharing",
        "service-signup",
        "tax-filing",
    ]


def test_each_template_is_a_complete_journey(template: tuple[str, str]) -> None:
    name, text = template
    journey = journey_from_text(text, f"{name}.yaml")
    assert journey.id == name
    assert check_journey(journey) == []
    assert journey.description and journey.scope and journey.owner
    persona = journey.personas[0]
    assert persona.name and persona.quote and persona.goals and persona.frustrations
    cards = journey.live_cards()
    assert len(cards) >= 30
    assert {c.kind for c in cards} == set(CARD_TYPES)  # every card kind, used for real
    emotional_stages = {e.stage for e in journey.live_emotions()}
    assert emotional_stages == {s.id for s in journey.live_stages()}
    assert any(ln.kind is LaneKind.emotion for s in journey.sections for ln in s.lanes)
    texts = [c.text.lower() for c in cards]
    assert not [t for t in texts if "lorem" in t or "todo" in t or "placeholder" in t]
    pains = {c.id for c in cards if c.kind == "pain_point"}
    linked = {p for c in cards if c.kind == "opportunity" for p in c.pain_points}
    assert linked and linked <= pains


def test_templates_follow_the_seed_stories() -> None:
    by_name = {
        t.name: journey_from_text(new_journey_text(template=t.name), "x.yaml")
        for t in list_templates()
    }
    store = by_name["online-store-checkout"]
    assert store.card("shipping-fee-surprise").severity == 5  # type: ignore[union-attr]
    car = by_name["car-purchase"]
    assert [s.name for s in car.live_stages()] == ["See", "Think", "Do", "Grow", "Give"]
    assert [s.name for s in car.live_sections()] == ["Persona", "Marketing", "Sales"]
    assert car.personas[0].name == "Hannah"
    assert by_name["service-signup"].personas[0].name == "Alex"
    assert by_name["tax-filing"].framework == "three-stage"
    assert {s.id for s in by_name["playlist-sharing"].live_stages()} >= {"retention", "advocacy"}


def test_new_from_a_template_takes_a_title_and_id_and_keeps_comments() -> None:
    text = new_journey_text(template="online-store-checkout", title="Gift shop, Q3")
    journey = journey_from_text(text, "x.yaml")
    assert (journey.id, journey.title) == ("gift-shop-q3", "Gift shop, Q3")
    assert text.startswith("# Template: online-store-checkout\n")


@pytest.mark.parametrize(
    ("framework", "stages"),
    [("five-stage", 5), ("three-stage", 3), ("see-think-do", 5)],
)
def test_new_from_a_framework_is_a_blank_valid_map(framework: str, stages: int) -> None:
    journey = new_journey(framework=framework, title="Blank")
    assert len(journey.live_stages()) == stages
    assert journey.framework == framework
    assert journey.live_cards() == []
    assert [s.id for s in journey.live_sections()] == ["persona", "business"]
    assert journey_from_text(new_journey_text(framework=framework), "x.yaml") is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"template": "online-shop"},
            "no template named 'online-shop' (did you mean 'online-store-checkout'?)",
        ),
        (
            {"framework": "see-think"},
            "no framework named 'see-think' (did you mean 'see-think-do'?)",
        ),
        (
            {"template": "tax-filing", "framework": "five-stage"},
            "give a template or a framework, not both",
        ),
        (
            {"template": "tax-filing", "id": "bad id!"},
            "'bad id!' is not a valid journey id (try 'bad-id')",
        ),
    ],
)
def test_unknown_names_are_explained(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(NewJourneyError) as caught:
        new_journey(**kwargs)
    assert str(caught.value) == message
