"""The journey size limits (cards, characters per card, bytes of the document): one object and
one check, refused with 413 on create and import, and measured so that an export within them
always fits the import again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.domain.apply import apply_all
from journeymap.domain.document import journey_to_data
from journeymap.domain.limits import (
    DEFAULT_LIMITS as DEFAULT,
)
from journeymap.domain.limits import (
    JourneyLimits,
    JourneyTooLarge,
    check_size,
    document_size,
    yaml_extra,
)
from journeymap.domain.model import Journey
from journeymap.domain.operations import AddOp
from journeymap.files.journey_file import render_text
from journeymap.services.batches import dump_op
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
    exported = render_text(journey, as_json=True)
    assert len(exported.encode()) <= measured
    # The indentation counted from the structure is the export's own, to the byte.
    indented = json.dumps(journey_to_data(journey), indent=2, ensure_ascii=False, default=str)
    assert measured == len(indented.encode("utf-8", "surrogatepass")) + 1 + yaml_extra(indented)


# ---------------------------------------------------------------- on the write path


def _card(n: int, text: str) -> dict[str, object]:
    op = {"kind": "add", "entity": "card", "id": f"big{n}", "value": {}}
    op["value"] = {"kind": "note", "stage": "awareness", "lane": "actions", "text": text}
    return {"op_id": f"add-big{n}", "op": op}


def _ops(site: Site, journey: str, rev: int, ops: list[dict[str, object]]) -> Any:
    url = f"/api/journeys/{journey}/ops"
    return site.client.post(url, json={"base_rev": rev, "ops": ops}, headers=site.auth())


def _rev(site: Site, journey: str) -> int:
    return int(site.client.get(f"/api/journeys/{journey}", headers=site.auth()).json()["rev"])


def test_ops_batches_of_huge_cards_stop_at_the_document_limit(
    make_site: Callable[..., Site],
) -> None:
    """The attack: batches of 300 cards of 9,900 characters each (3 MB, under the body limit).
    The default limits take the first (3 MB) and refuse the second, which would make 6 MB,
    naming the limit; nothing of it is written, and the journey still exports and imports."""
    site = make_site()
    journey = new_journey_in(site)
    word = "x" * 9_900  # one unbroken word: the worst case for the poster's wrapping
    first = _ops(site, journey, 1, [_card(n, word) for n in range(300)])
    assert first.status_code == 200, first.text[:300]
    second = _ops(site, journey, 2, [_card(n, word) for n in range(300, 600)])
    assert second.status_code == 413, second.text[:300]
    problem = second.json()
    assert problem["title"] == "Journey too large" and problem["limit"] == "document_bytes"
    assert "; a journey may be 4,194,304: split it into several journeys" in problem["detail"]
    assert _rev(site, journey) == 2  # the refused batch wrote nothing
    exported = site.client.get(f"/api/journeys/{journey}/export", headers=site.auth())
    url = f"/api/workspaces/{site.workspace}/journeys/import"
    again = site.client.post(url, content=exported.text, headers=site.auth())
    assert again.status_code == 201, again.text[:300]


def test_every_write_route_checks_the_limits(make_site: Callable[..., Site]) -> None:
    site = make_site(
        JOURNEYMAP_MAX_CARDS=3, JOURNEYMAP_MAX_CARD_CHARS=500, JOURNEYMAP_MAX_DOCUMENT_BYTES=8000
    )
    journey = new_journey_in(site)
    auth = site.auth()
    cards = f"/api/journeys/{journey}/cards"

    def refused(answer: Any, limit: str) -> None:
        assert answer.status_code == 413, answer.text
        assert answer.json()["limit"] == limit, answer.text

    # An ops batch: too many cards, a card too long.
    refused(_ops(site, journey, 1, [_card(n, "short") for n in range(4)]), "cards")
    refused(_ops(site, journey, 1, [_card(0, "y" * 501)]), "card_chars")
    # The entity routes: adding a card past the count, a text past the characters.
    for n in range(3):
        body = {"kind": "note", "stage": "awareness", "lane": "actions", "text": f"card {n}"}
        assert site.client.post(cards, json=body, headers=auth).status_code == 201
    refused(site.client.post(cards, json={**body, "text": "one more"}, headers=auth), "cards")
    card = site.client.get(cards, headers=auth).json()["items"][0]
    etag = {**auth, "If-Match": f'"r{card["rev"]}"'}
    refused(
        site.client.patch(f"{cards}/{card['id']}", json={"text": "z" * 600}, headers=etag),
        "card_chars",
    )
    # PATCH of the journey itself: a description that makes the document too large.
    rev = _rev(site, journey)
    patch = {"description": "w\n" * 2000}  # each line indented in the YAML export
    refused(
        site.client.patch(
            f"/api/journeys/{journey}", json=patch, headers={**auth, "If-Match": f'"r{rev}"'}
        ),
        "document_bytes",
    )
    assert _rev(site, journey) == rev  # nothing was written


def new_journey_in(site: Site) -> str:
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": "three-stage"},
        headers=site.auth(),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.tuples(st.integers(0, 3), _awkward), min_size=1, max_size=4), max_size=6)
)
def test_the_bound_kept_between_batches_is_never_below_the_size(
    batches: list[list[tuple[int, str]]],
) -> None:
    """Batches of card edits (adds, texts, details, moves) are checked without measuring the
    whole journey: the size bound the write path keeps for the next batch is always at least
    the document's real size, however the batches go."""
    from journeymap.domain.operations import MoveOp, RenameOp, SetOp
    from journeymap.services import journey_size
    from journeymap.storage.journey_cache import JourneyCache

    cache = JourneyCache()
    journey = with_cards(["first", "second"])
    stamp: tuple[int, Any, Any] = (1, None, None)
    bound = journey_size.check_batch(cache, "j", stamp, journey, journey, [], [], DEFAULT)
    journey_size.remember(cache, "j", stamp, bound)
    for n, batch in enumerate(batches):
        ops: list[Any] = []
        for kind, text in batch:
            card = journey.live_cards()[len(ops) % len(journey.live_cards())].id
            ops.append(
                [
                    AddOp(
                        entity="card",
                        value={
                            "kind": "note",
                            "stage": "awareness",
                            "lane": "actions",
                            "text": text,
                        },
                    ),
                    SetOp(entity="card", id=card, field="details", value=text),
                    RenameOp(entity="card", id=card, name=text),
                    MoveOp(entity="card", id=card, stage="decision", lane="touchpoints"),
                ][kind]
            )
        after = apply_all(journey, ops)
        dumped = [dump_op(op) for op in ops]
        before_stamp, stamp = stamp, (n + 2, None, None)
        bound = journey_size.check_batch(
            cache, "j", before_stamp, journey, after, ops, dumped, DEFAULT
        )
        assert bound >= document_size(after)
        journey_size.remember(cache, "j", stamp, bound)
        journey = after
    assert journey_size.sizes_measured(cache) == 1  # only the first: the rest were bounded
