"""The domain model's own rules: ranges, channels and aliases, frameworks, live views."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from journeymap.domain.cards import OpportunityCard, PainPointCard
from journeymap.domain.channels import BUILTIN_CHANNELS, ChannelMode, ChannelRegistry
from journeymap.domain.frameworks import FRAMEWORKS
from journeymap.domain.ids import slugify, unique_id
from journeymap.domain.model import Channel, EmotionPoint, Journey
from journeymap.domain.suggest import closest


@pytest.mark.parametrize("severity", [0, 6, 2.5])
def test_pain_severity_is_a_whole_number_from_1_to_5(severity: float) -> None:
    with pytest.raises(ValidationError):
        PainPointCard(id="p", lane="l", stage="s", text="t", severity=severity)


@pytest.mark.parametrize("score", [-2.0, -1.5, 0.0, 0.1, 2.0])
def test_emotion_scores_in_range_with_one_decimal_are_accepted(score: float) -> None:
    assert EmotionPoint(id="e", stage="s", score=score).score == score


@pytest.mark.parametrize("score", [-2.1, 2.5, 1.55, 0.25])
def test_emotion_scores_out_of_range_or_too_precise_are_refused(score: float) -> None:
    with pytest.raises(ValidationError):
        EmotionPoint(id="e", stage="s", score=score)


def test_opportunity_links_are_kept_once_in_order() -> None:
    card = OpportunityCard(id="o", lane="l", stage="s", text="t", pain_points=["b", "a", "b"])
    assert card.pain_points == ["b", "a"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("e-mail", "email"),
        ("E-Mail", "email"),
        ("Live chat", "chat"),
        ("in_store", "store"),
        ("website", "web"),
        ("word of mouth", "referral"),
        ("emial", None),
    ],
)
def test_channel_aliases_resolve_to_the_built_in_id(name: str, expected: str | None) -> None:
    assert ChannelRegistry().resolve(name) == expected


def test_custom_channels_join_the_registry_with_their_aliases() -> None:
    kiosk = Channel(id="kiosk", name="In-store kiosk", mode=ChannelMode.physical, aliases=["totem"])
    registry = Journey(id="j", title="J", channels=[kiosk]).channel_registry()
    assert registry.resolve("Totem") == "kiosk"
    assert registry.mode_of("kiosk") is ChannelMode.physical
    assert registry.resolve("email") == "email"


def test_built_in_channels_cover_the_common_ones() -> None:
    ids = {c.id for c in BUILTIN_CHANNELS}
    assert {
        "web",
        "app",
        "email",
        "phone",
        "chat",
        "social",
        "store",
        "mail",
        "ads",
        "referral",
    } <= ids


def test_frameworks_are_the_three_presets() -> None:
    assert {k: [s.name for s in f.stages] for k, f in FRAMEWORKS.items()} == {
        "five-stage": ["Awareness", "Consideration", "Decision", "Retention", "Advocacy"],
        "three-stage": ["Awareness", "Consideration", "Decision and post-purchase"],
        "see-think-do": ["See", "Think", "Do", "Grow", "Give"],
    }


def test_slugs_are_short_readable_ids() -> None:
    assert slugify("Shipping fees appear late in the checkout!") == "shipping-fees-appear-late"
    assert slugify("Café crème") == "cafe-creme"
    assert slugify("???") == "item"
    assert unique_id("fee", {"fee", "fee-2"}) == "fee-3"


def test_suggestions_find_typos_and_cut_short_names() -> None:
    assert closest("emial", ["email", "mail", "web"]) == "email"
    assert closest("pain", ["note", "pain_point", "opportunity"]) == "pain_point"
    assert closest("zzz", ["email"]) is None


def test_persona_shorthand_is_an_id(small: Journey) -> None:
    assert [p.id for p in small.personas] == ["alex"]
    assert small.personas[0].display_name == "alex"


def test_live_cards_are_in_reading_order(small: Journey) -> None:
    assert [c.id for c in small.live_cards()] == ["sees-ad", "ad", "fee", "fee-upfront"]
