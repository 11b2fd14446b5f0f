"""Inputs a reviewer found that once crashed, lost data or misplaced comments."""

from __future__ import annotations

import pytest

from journeymap.domain.errors import JourneyInvalid
from journeymap.files.journey_file import journey_from_text, render_text

from ..samples import SMALL

CANONICAL = render_text(journey_from_text(SMALL, "small.yaml"))


def problems(text: str, as_json: bool = False) -> list[str]:
    with pytest.raises(JourneyInvalid) as caught:
        journey_from_text(text, "f.yaml", as_json)
    return [str(p) for p in caught.value.problems]


HEAD = "format_version: 1\nid: x\ntitle: T\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + "cards: [{kind: [note], lane: l, stage: s, text: t}]\n",
            "f.yaml:4:16 cards[0].kind: unknown card kind '['note']' (did you mean 'note'?)",
        ),
        (
            HEAD + "b: &b {name: S}\nstages: [{<<: *b, id: s}]\n",
            "f.yaml:5:15: YAML aliases (*name) are not supported in journey files "
            "(write the repeated content out in full)",
        ),
        (
            HEAD.replace("title: T", "title: &t X") + "description: *t\n",
            "f.yaml:4:14: YAML aliases (*name) are not supported in journey files "
            "(write the repeated content out in full)",
        ),
        (
            HEAD.replace("title: T", "title: !!omap [a: 1]"),
            "f.yaml:3:8 title: expected text, got a mapping (write the text on one line, as text)",
        ),
        (
            HEAD.replace("title: T", "title: !!binary aGVsbG8="),
            "f.yaml:3:8: unsupported YAML value of type bytes (a !!tag) "
            "(use plain text, numbers, dates, lists and mappings)",
        ),
        (
            SMALL.replace("score: 1.0", "score: true"),
            "f.yaml:63:12 emotions[0].score: expected a number, got true (true/false)",
        ),
        (
            SMALL.replace("    severity: 5", "    severity: 5\n    deleted: true"),
            "f.yaml:53:5 cards[2].deleted: unknown field 'deleted' (allowed fields here are: id, "
            "lane, stage, step, text, details, confidence, evidence, tags, kind, severity, "
            "frequency)",
        ),
        (
            SMALL.replace("  - id: business\n    name: Business\n", "  - id: business\n"),
            "f.yaml:28:5 sections[1].name: missing required field 'name' (add `name: ...`)",
        ),
        (
            SMALL.replace(
                "personas: [alex]",
                "personas: [alex]\nchannels:\n  - {id: kiosk, name: K, "
                "aliases: [totem]}\n  - {id: totem, name: T}",
            ),
            "f.yaml:7:10 channels[1].id: 'totem' already names the channel 'kiosk' "
            "(each channel name and alias may stand for one channel only)",
        ),
    ],
)
def test_odd_inputs_are_explained_not_crashed_on(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_json_duplicate_keys_are_refused_where_they_are() -> None:
    assert problems('{"format_version": 1, "id": "a", "id": "b", "title": "T"}', True) == [
        'f.yaml:1:34: invalid YAML: found duplicate key "id" with value "b" (original value: "a") '
        "(a key may appear once per mapping: remove or rename the repeat)"
    ]


def test_explicit_default_mode_round_trips_to_an_equal_journey() -> None:
    text = SMALL.replace("channel: social", "channel: social\n    mode: digital")
    first = journey_from_text(text, "f.yaml")
    assert journey_from_text(render_text(first), "f.yaml") == first
    physical = journey_from_text(text.replace("mode: digital", "mode: physical"), "f.yaml")
    assert "mode: physical" in render_text(physical)


def test_comments_belong_to_the_item_below_them() -> None:
    text = CANONICAL.replace("  - id: sees-ad\n", "  # about the ad\n  - id: sees-ad\n").replace(
        "  - id: fee\n", "  # the big one\n\n  - id: fee\n"
    )
    journey = journey_from_text(text, "f.yaml")
    out = render_text(journey, previous=text)
    assert out == text  # unchanged journey, unchanged text
    from journeymap.domain.apply import apply_all
    from journeymap.domain.operations import DeleteOp, MoveOp

    moved = apply_all(journey, [MoveOp(entity="stage", id="decision", before="awareness")])
    out = render_text(moved, previous=text)
    assert "  # the big one\n\n  - id: fee\n" in out
    assert out.index("# the big one") < out.index("# about the ad")  # moved with its card
    gone = render_text(apply_all(journey, [DeleteOp(entity="card", id="fee")]), previous=text)
    assert "# the big one" not in gone and "# about the ad" in gone


def test_comments_on_items_written_without_ids_survive() -> None:
    text = CANONICAL.replace(
        "  - id: feel-delivery\n    stage: decision",
        "  # the dip is the shipping fee\n  - stage: decision",
    ).replace("    score: 1.0\n", "    score: 1.0  # measured in survey Q2\n")
    out = render_text(journey_from_text(text, "f.yaml"), previous=text)
    assert "    score: 1.0  # measured in survey Q2\n" in out
    assert "  # the dip is the shipping fee\n  - id: feel-decision-delivery\n" in out


def test_comments_above_the_document_start_survive() -> None:
    text = "# yaml-language-server: $schema=./journey.schema.json\n---\n" + CANONICAL
    assert render_text(journey_from_text(text, "f.yaml"), previous=text) == text
